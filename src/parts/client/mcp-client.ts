import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connect as netConnect } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { mask } from '../../base/secrets.ts';
import { type Exchange, record } from './exchange.ts';

/** The response headers an MCP exchange keeps: the challenge, and the rate limit's count. */
const KEPT_HEADERS = ['www-authenticate', 'content-type', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining'];
const SESSION_TIMEOUT_MS = 20_000;
/** A response body read for the record: an SSE stream that stays open is cut after this long. */
const BODY_READ_MS = 3_000;

export interface McpSessionRequest {
  /** The judged exchange's label: what the user's client does. */
  label: string;
  /** The MCP endpoint: `<n8n>/mcp-server/http`. */
  url: string;
  /** Headers on every request the SDK sends (`Authorization`). */
  headers?: Record<string, string>;
  /** The SDK's OAuth client (discovery, registration, token): for scenarios about n8n's OAuth server. */
  authProvider?: OAuthClientProvider;
  /** The URL's host resolves to this loopback port (a public name in front of a proxy published on a free port), as DNS would. */
  pinned?: { host: string; port: number };
  /** The requests the verdict is about (OAuth discovery, say); default: the one answer that ended the session, or its success. */
  judgeOn?: (wire: Exchange[]) => Exchange[];
}

/** What the SDK's session came to: connected and listed tools, or the error it threw. */
interface SessionEnd {
  server?: string;
  tools?: string[];
  error?: string;
}

/**
 * The official MCP SDK's client (Client over StreamableHTTPClientTransport) connecting and listing
 * tools, every HTTP request it made recorded. Returns the judged exchange first (the first answer
 * that failed the session, or the session's success in a line), then each request on the wire as
 * context, so the ledger shows what n8n really answered.
 */
export async function mcpSession(req: McpSessionRequest): Promise<Exchange[]> {
  const wire: Exchange[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(req.url), {
    requestInit: { headers: req.headers ?? {} },
    fetch: recordingFetch(wire, req.pinned),
    ...(req.authProvider ? { authProvider: req.authProvider } : {}),
  });
  const client = new Client({ name: 'authlab', version: '1.0.0' });
  const end = await runSession(client, transport);
  await client.close().catch(() => undefined);
  if (!req.judgeOn) return [judgedExchange(req, wire, end), ...wire];
  const judged = req.judgeOn(wire);
  const ending = record({
    label: `${req.label}: how the SDK's session ended`,
    via: 'client',
    request: { method: 'POST', url: req.url, headers: [] },
    error: end.error ?? `connected to ${end.server}`,
    context: true,
  });
  return [...judged.map(({ context: _, ...e }) => e), ending, ...wire.filter((e) => !judged.includes(e))];
}

async function runSession(client: Client, transport: StreamableHTTPClientTransport): Promise<SessionEnd> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${SESSION_TIMEOUT_MS} ms`)), SESSION_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      (async () => {
        await client.connect(transport);
        const { tools } = await client.listTools();
        const info = client.getServerVersion();
        return { server: `${info?.name ?? '?'} ${info?.version ?? ''}`.trim(), tools: tools.map((t) => t.name) };
      })(),
      timeout,
    ]);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** The session in one exchange: the answer that ended it (a refusal), or its success. */
function judgedExchange(req: McpSessionRequest, wire: Exchange[], end: SessionEnd): Exchange {
  const failed = end.error !== undefined ? (wire.find((e) => (e.response?.status ?? 0) >= 400) ?? wire.at(-1)) : undefined;
  const first = wire[0];
  const request = failed?.request ?? first?.request ?? { method: 'POST', url: req.url, headers: Object.entries(req.headers ?? {}) };
  if (end.error === undefined) {
    const tools = end.tools ?? [];
    const body = `connected to ${end.server}; tools/list: ${tools.length} tools (${tools.slice(0, 4).join(', ')}${tools.length > 4 ? ', ...' : ''})`;
    return record({ label: req.label, via: 'client', request, response: { status: 200, body }, outcome: 'accepted' });
  }
  if (failed?.response) return record({ label: req.label, via: 'client', request, response: failed.response });
  return record({ label: req.label, via: 'client', request, error: end.error });
}

type Fetch = typeof fetch;

/** A fetch that records each request the SDK makes and what came back (kept headers, body). */
export function recordingFetch(into: Exchange[], pinned?: McpSessionRequest['pinned']): Fetch {
  const dispatcher = pinned ? pinnedAgent(pinned.port) : undefined;
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const headers = [...new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).entries()];
    const label = `SDK ${method} ${new URL(url).pathname}${rpcMethodOf(init?.body)}`;
    try {
      const res =
        dispatcher && new URL(url).host === pinned?.host
          ? ((await undiciFetch(url, { ...(init as object), dispatcher })) as unknown as Response)
          : await fetch(input, init);
      const body = await readSome(res.clone());
      const kept = KEPT_HEADERS.flatMap((k) => (res.headers.has(k) ? [[k, res.headers.get(k)!] as [string, string]] : []));
      into.push(record({ label, via: 'client', request: { method, url, headers }, response: { status: res.status, body, headers: kept }, context: true }));
      return res;
    } catch (err) {
      into.push(record({ label, via: 'client', request: { method, url, headers }, error: mask(String(err)), context: true }));
      throw err;
    }
  };
}

/** Connects every request to 127.0.0.1:<port>, whatever host its URL names. */
function pinnedAgent(port: number): Agent {
  return new Agent({
    connect: (_opts, done) => {
      const socket = netConnect({ host: '127.0.0.1', port });
      socket.once('connect', () => done(null, socket));
      socket.once('error', (err) => done(err, null));
    },
  });
}

/** ` (initialize)`: the JSON-RPC method a POST carried, for the label. */
function rpcMethodOf(body: unknown): string {
  if (typeof body !== 'string') return '';
  const method = /"method"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  return method ? ` (${method})` : '';
}

/** The body as text, or what of it came within BODY_READ_MS (an SSE stream may stay open). */
async function readSome(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + BODY_READ_MS;
  try {
    while (Date.now() < deadline) {
      const left = deadline - Date.now();
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (chunk === null || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return text;
}
