import { mask } from '../../base/secrets.ts';

/**
 * How a response is classed when a verdict compares it with what the guide predicts.
 * `editor-page` is a 2xx whose body is HTML: n8n's editor answering a path the API does not serve.
 */
export type Outcome = 'accepted' | 'editor-page' | 'rejected' | 'forbidden' | 'not-found' | 'bad-request' | 'not-sent' | 'other';

/** `n8n-workflow`: n8n itself was the client (a workflow's node), recorded by the mock provider it called; `browser`: Chromium, driven through n8n's own pages. */
export type Transport = 'raw-socket' | 'node-fetch' | 'curl' | 'node-process' | 'client' | 'n8n-workflow' | 'browser';

/** One recorded request and what came back; secrets are masked when it is recorded. */
export interface Exchange {
  label: string;
  via: Transport;
  request: {
    method: string;
    url: string;
    headers: Array<[string, string]>;
    /** The request head exactly as it went on the wire, bytes outside printable ASCII escaped. */
    wire?: string;
  };
  /** `headers`: only those a probe asked to keep (a WWW-Authenticate challenge), in the order they came. */
  response?: { status: number; body: string; headers?: Array<[string, string]> };
  /** The client refused or failed before an answer (Node's fetch throws on a ZWSP in a header). */
  error?: string;
  outcome: Outcome;
  /** What n8n logged while this exchange ran. */
  n8nLog?: string[];
  /** Behind a proxy: the headers of each request that reached n8n (recorded by the tap). */
  reachedN8n?: Array<Array<[string, string]>>;
  /** Shown with the evidence but not compared with a prediction (the webhook call that starts a workflow whose own request is judged). */
  context?: true;
}

/** The exchanges a verdict or a fix is judged on: all but those shown only as context. */
export function judgedOf(exchanges: Exchange[]): Exchange[] {
  return exchanges.filter((e) => !e.context);
}

/**
 * How long a probe waits for an answer unless told otherwise. A 2-core machine running stacks side
 * by side (the test run) once took over 10 s for n8n to answer a 404: a timeout is then inconclusive,
 * never a verdict, so the wait is generous; the doctor sets its own.
 */
export const ANSWER_WAIT_MS = 30_000;

/** A request that got no answer in time (a loaded machine, or an n8n still starting): it says nothing of how n8n answers. */
export function timedOut(e: Exchange): boolean {
  return e.error !== undefined && /^no answer within|ETIMEDOUT|TimeoutError|UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT/.test(e.error);
}

export function outcomeOf(status: number | undefined, body = ''): Outcome {
  if (status === undefined) return 'not-sent';
  if (status >= 200 && status < 300) return /^\s*<(!doctype|html)/i.test(body) ? 'editor-page' : 'accepted';
  if (status === 401) return 'rejected';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 400) return 'bad-request';
  return 'other';
}

export function record(e: Omit<Exchange, 'outcome'> & { outcome?: Outcome }): Exchange {
  const body = e.response?.body;
  return {
    label: e.label,
    via: e.via,
    request: {
      method: e.request.method,
      url: mask(e.request.url),
      headers: e.request.headers.map(([k, v]) => [k, mask(v)]),
      ...(e.request.wire !== undefined ? { wire: mask(e.request.wire) } : {}),
    },
    ...(e.response
      ? {
          response: {
            status: e.response.status,
            body: mask(truncate(body ?? '')),
            ...(e.response.headers ? { headers: e.response.headers.map(([k, v]) => [k, mask(v)] as [string, string]) } : {}),
          },
        }
      : {}),
    ...(e.error !== undefined ? { error: mask(e.error) } : {}),
    outcome: e.outcome ?? outcomeOf(e.response?.status, body),
    ...(e.n8nLog ? { n8nLog: e.n8nLog.map(mask) } : {}),
    ...(e.reachedN8n ? { reachedN8n: e.reachedN8n.map((hs) => hs.map(([k, v]) => [k, mask(v)] as [string, string])) } : {}),
    ...(e.context ? { context: true as const } : {}),
  };
}

/** What came back, in one short line: the status and the start of the body, or why nothing did. */
export function answerOf(e: Exchange, max = 120): string {
  return e.response ? `${e.response.status} ${e.response.body.replace(/\s+/g, ' ').slice(0, max)}` : `no answer (${e.error ?? 'unknown'})`;
}

/** A one-line description for progress output and assertion messages. */
export function describeExchange(e: Exchange): string {
  const kept = (e.response?.headers ?? []).map(([k, v]) => `${k}: ${v}`).join('; ');
  const answer = e.response ? `${e.response.status}${kept ? ` [${kept}]` : ''} ${e.response.body.slice(0, 120)}` : `not sent: ${e.error ?? ''}`;
  return `${e.label} [${e.via}] ${e.request.method} ${e.request.url} -> ${answer}`;
}

/** Shows bytes as a person reading a hex dump would: printable ASCII as is, CR/LF as \r \n, the rest as \xNN. */
export function escapeBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b >= 0x20 && b < 0x7f && b !== 0x5c) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function truncate(s: string, max = 4000): string {
  return s.length > max ? `${s.slice(0, max)}…(${s.length - max} more chars)` : s;
}
