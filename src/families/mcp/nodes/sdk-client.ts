import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { record, type Exchange } from '../../../parts/client/exchange.ts';

/** One HTTP request the SDK client made and what came back (the body read whole, streams included, up to a bound). */
interface WireCall {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  status?: number;
  body: Promise<string>;
  error?: string;
}

const BODY_WAIT_MS = 2000;

/**
 * A body as text, given up after a while (an event stream the SDK keeps open). The timer is not
 * unref'd: a stream branch the SDK's abort left pending holds nothing open, and the timer is then
 * what keeps the process waiting for the answer.
 */
function bodyOf(res: Response): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<string>((r) => {
    timer = setTimeout(() => r('(an open event stream)'), BODY_WAIT_MS);
  });
  const text = res.text().catch((err: Error) => `(body not read: ${err.message})`);
  return Promise.race([text, gaveUp]).finally(() => clearTimeout(timer));
}

function headerPairs(init?: RequestInit): Array<[string, string]> {
  return [...new Headers(init?.headers).entries()];
}

/** What an SDK session did: each HTTP call, the tools it listed (when it got that far) and the SDK's error. */
export interface SdkSession {
  calls: WireCall[];
  tools?: string[];
  error?: string;
}

/**
 * Connects the official MCP SDK client over Streamable HTTP with the given headers (what a user
 * puts in their AI client's config) and lists the server's tools; every HTTP call it made is kept.
 */
export async function listToolsWithSdk(url: string, headers: Array<[string, string]>): Promise<SdkSession> {
  const calls: WireCall[] = [];
  const recordingFetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const call: WireCall = { method: init?.method ?? 'GET', url: String(input), headers: headerPairs(init), body: Promise.resolve('') };
    calls.push(call);
    try {
      const res = await fetch(input, init);
      call.status = res.status;
      call.body = bodyOf(res.clone());
      return res;
    } catch (err) {
      call.error = (err as Error).message;
      throw err;
    }
  };
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: Object.fromEntries(headers) }, fetch: recordingFetch });
  const client = new Client({ name: 'authlab-sdk-client', version: '1.0.0' });
  const session: SdkSession = { calls };
  try {
    await client.connect(transport);
    session.tools = (await client.listTools()).tools.map((t) => t.name);
  } catch (err) {
    session.error = (err as Error).message;
  } finally {
    await client.close().catch(() => undefined);
  }
  return session;
}

/** The SDK's HTTP calls as recorded exchanges, shown as context beside the one that is judged. */
export async function wireExchanges(label: string, session: SdkSession): Promise<Exchange[]> {
  const out: Exchange[] = [];
  for (const c of session.calls) {
    out.push(
      record({
        label: `${label}: the SDK's ${c.method}`,
        via: 'node-fetch',
        request: { method: c.method, url: c.url, headers: c.headers },
        ...(c.status !== undefined ? { response: { status: c.status, body: await c.body } } : { error: c.error ?? 'not sent' }),
        context: true,
      }),
    );
  }
  return out;
}

/**
 * The session in one judged answer: the first refused HTTP call (its index: its status and body
 * are n8n's answer), or, once the SDK listed the tools, 200 with their names; an SDK error without
 * an HTTP refusal is an error. A GET answered 405 is the SDK asking for an optional event stream, not a refusal.
 */
export function sessionOutcome(session: Pick<SdkSession, 'calls' | 'tools' | 'error'>): { refused?: number; status?: number; body: string; error?: string } {
  const refused = session.calls.findIndex((c) => c.status !== undefined && c.status >= 400 && !(c.method === 'GET' && c.status === 405));
  if (refused >= 0) return { refused, status: session.calls[refused]!.status, body: '' };
  if (session.tools) return { status: 200, body: `tools/list: ${session.tools.join(', ') || '(none)'}` };
  return { body: '', error: session.error ?? 'the SDK did not list the tools' };
}

/** The session recorded: the judged exchange first (a refusal with its body), then each HTTP call as context. */
export async function sessionExchanges(label: string, url: string, headers: Array<[string, string]>, session: SdkSession): Promise<Exchange[]> {
  const wire = await wireExchanges(label, session);
  const outcome = sessionOutcome(session);
  const body = outcome.refused !== undefined ? (wire[outcome.refused]?.response?.body ?? '') : outcome.body;
  const judged = record({
    label,
    via: 'node-fetch',
    request: { method: 'POST', url, headers },
    ...(outcome.status !== undefined ? { response: { status: outcome.status, body } } : { error: outcome.error ?? '' }),
  });
  return [judged, ...wire];
}
