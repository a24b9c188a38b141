import { registerSecret } from '../../base/secrets.ts';
import { answerOf, type Exchange } from '../client/exchange.ts';
import { rawRequest } from '../client/raw-http.ts';
import type { ConnectTo } from '../client/connect-to.ts';
import type { TlsTrust } from '../client/tls-trust.ts';
import { readMcpDiscovery, type DiscoveryReading } from './mcp-discovery.ts';
import { bearerTokenOf, decodeMcpToken, describeMcpToken } from './mcp-token.ts';
import type { FailureModeId } from './modes.ts';
import { n8nMessage } from './n8n-answer.ts';
import { spokePlainHttpToTls } from './reachability.ts';
import { messageAndHint } from './webhook.ts';

/** An MCP client's call: the instance's MCP server (<base>/mcp-server/http) or an MCP Server Trigger's URL (<base>/mcp/<path>). */
export interface McpCallInput {
  url: string;
  /** What the client sends in the header, byte for byte (`Bearer <token>`); '' when the variable holding it is empty; undefined: not given. */
  token?: string;
  /** The header it goes in (default Authorization; an MCP Server Trigger with Header Auth names its own). */
  header?: string;
  /** n8n itself (--url): where its OAuth metadata is looked for when the challenge names none. */
  n8nUrl?: string;
}

type Found = (mode: FailureModeId, ...evidence: string[]) => void;

/** The MCP handshake's first request, as the MCP TypeScript SDK's Streamable HTTP client sends it. */
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'authlab-doctor', version: '1' } },
};
const TRIGGER_PATH = /\/mcp(-test)?\/[^/]+/;
const SERVER_PATH = /\/mcp-server\/http\/?$/;

const challengeOf = (e: Exchange) => e.response?.headers?.find(([k]) => k.toLowerCase() === 'www-authenticate')?.[1] ?? '';
const messageOf = (e: Exchange) => n8nMessage(e) ?? e.response?.body ?? '';
const refused = (e: Exchange) => e.response?.status === 401 || e.response?.status === 403;

/** Where the URL points, from its path; a URL behind a rewriting proxy is told by n8n's answer (its MCP realm). */
function kindOf(url: URL, first: Exchange): 'server' | 'trigger' {
  if (SERVER_PATH.test(url.pathname) || /realm="n8n MCP Server"/i.test(challengeOf(first))) return 'server';
  return TRIGGER_PATH.test(url.pathname) ? 'trigger' : 'server';
}

/**
 * Calls the MCP URL once as the client does (an initialize request) and names why n8n refused it,
 * from n8n's own answer: the instance's MCP access off (2.x 404, 1.x 403) or its module not loaded
 * (1.x), no token, no Bearer prefix, the public API key where the MCP key belongs, a token n8n
 * refuses, an OAuth token for another resource or one revoked; for a trigger, its own auth refusal
 * or no credential on the node. For OAuth clients, the discovery they run after a 401.
 * Returns the first call: the caller tells an MCP URL that did not answer.
 */
export async function diagnoseMcp(
  call: McpCallInput,
  connection: { timeoutMs: number; tls?: TlsTrust; connectTo?: readonly ConnectTo[] },
  record: (e: Exchange) => void,
  found: Found,
  notes: string[],
): Promise<Exchange> {
  const url = new URL(call.url);
  const header = call.header ?? 'Authorization';
  const send = async (label: string, value?: string) => {
    const headers: Array<[string, string]> = [['Accept', 'application/json, text/event-stream'], ...(value ? [[header, value] as [string, string]] : [])];
    const e = await rawRequest({ label, url: call.url, headers, json: INITIALIZE, keepResponseHeaders: ['WWW-Authenticate'], ...connection });
    record(e);
    return e;
  };
  const get = async (label: string, at: string) => {
    const e = await rawRequest({ label, url: at, headers: [['Accept', 'application/json']], ...connection });
    record(e);
    return e;
  };
  // A scheme with no token ("Bearer ") is no secret: registered, it would mask the word in every log after.
  if (call.token && bearerTokenOf(call.token)) registerSecret(bearerTokenOf(registerSecret(call.token, 'secret')), 'secret');
  const given = call.token ? call.token : undefined;
  const first = await send('the MCP call (initialize) as the client makes it', given);
  if (!first.response || spokePlainHttpToTls(first)) return first;
  const kind = kindOf(url, first);
  const said = (e: Exchange) => `POST ${url.pathname}: ${answerOf(e, 300)}${challengeOf(e) ? ` with WWW-Authenticate: ${challengeOf(e)}` : ''}`;
  const status = first.response.status;
  const message = messageOf(first);
  let discovery: DiscoveryReading | undefined;
  // Newer n8n names its OAuth metadata in every challenge; some versions with an OAuth server (1.123, 2.8, 2.30) name none, and
  // clients look at the well-known URL anyway: n8n itself is asked whether it serves it. 1.x before that has no OAuth for MCP.
  const oauthServed =
    /resource_metadata=/i.test(challengeOf(first)) ||
    (kind === 'server' && refused(first) && call.n8nUrl !== undefined && (await servesOAuthMetadata(call.n8nUrl, get)));
  const discover = async () => (discovery ??= oauthServed ? await readMcpDiscovery(url, challengeOf(first), get) : undefined);

  if (status >= 200 && status < 300) notes.push(`the MCP ${kind === 'server' ? 'server' : 'Server Trigger'} takes the token: ${answerOf(first, 80)}`);
  else if (/MCP access is disabled/i.test(message)) found('mcp-access-disabled', said(first));
  else if (status === 404 && /Cannot POST [^\s<]*mcp-server/i.test(message)) found('mcp-module-not-loaded', said(first));
  else if (status === 404 && /is not registered/i.test(message)) {
    const { hint } = messageAndHint(first);
    found('webhook-not-registered', said(first), ...(hint ? [`n8n's hint: ${hint}`] : []));
  } else if (status === 500 && /No authentication data defined on node/i.test(message)) found('mcp-trigger-auth-unconfigured', said(first));
  else if (given === undefined) {
    if (refused(first)) notes.push(`no MCP token given: ${said(first)} (what an OAuth client gets before it signs in)`);
    else notes.push(`the MCP call: ${said(first)}`);
    if (call.token === '') found('mcp-token-missing', said(first), 'the token is empty (an unset or unexported variable expands to nothing)');
    if (oauthServed) await discover();
    else if (kind === 'server' && refused(first))
      notes.push(
        "no OAuth discovery to check: this n8n's MCP server names no resource_metadata and serves no OAuth metadata (n8n 1.116 and older: clients use the MCP API key)",
      );
  } else {
    let answer = first;
    const bare = header.toLowerCase() === 'authorization' && !/^Bearer\s/i.test(given);
    const n8nSaysNoBearer = /Missing Bearer prefix|Malformed Bearer/i.test(message) || (kind === 'server' && status === 500);
    if (bare && (n8nSaysNoBearer || refused(first))) {
      answer = await send('the same token with the Bearer prefix', `Bearer ${bearerTokenOf(given)}`);
      const works = answer.response && answer.response.status < 300;
      if (n8nSaysNoBearer || works) found('mcp-token-not-bearer', said(first), `with "Bearer " before the token: ${answerOf(answer, 120)}`);
    }
    await explainTokenRefusal(answer, bearerTokenOf(given), { kind, oauthServed }, said, discover, found);
  }
  if (discovery) {
    for (const f of discovery.findings) found(f.mode, ...f.evidence);
    notes.push(...discovery.notes);
  }
  return first;
}

/** Whether n8n, asked straight, serves its MCP server's protected-resource metadata (it has an OAuth server for MCP). */
async function servesOAuthMetadata(n8nUrl: string, get: (label: string, at: string) => Promise<Exchange>): Promise<boolean> {
  const e = await get(
    "n8n's MCP OAuth metadata, straight (the challenge names none)",
    `${n8nUrl.replace(/\/+$/, '')}/.well-known/oauth-protected-resource/mcp-server/http`,
  );
  try {
    return e.response?.status === 200 && typeof (JSON.parse(e.response.body) as { resource?: unknown }).resource === 'string';
  } catch {
    return false;
  }
}

/** Why n8n refuses a token sent with the Bearer prefix: each from n8n's message and the token's own claims. */
async function explainTokenRefusal(
  answer: Exchange,
  token: string,
  { kind, oauthServed }: { kind: 'server' | 'trigger'; oauthServed: boolean },
  said: (e: Exchange) => string,
  discover: () => Promise<DiscoveryReading | undefined>,
  found: Found,
): Promise<void> {
  if (!refused(answer)) return;
  const message = messageOf(answer);
  const decoded = decodeMcpToken(token);
  const claims = describeMcpToken(decoded);
  // A trigger's token is whatever its credential holds: its claims say nothing.
  if (kind === 'trigger') return found('mcp-trigger-auth-refused', said(answer));
  if (/Access Token Not Found in Database/i.test(message)) return found('mcp-token-revoked', said(answer), claims);
  if (/JWT Verification Failed/i.test(message)) {
    const resource = (await discover())?.resource;
    if (decoded.exp?.expired) return found('mcp-token-refused', said(answer), claims);
    if (resource && !decoded.audiences.includes(resource))
      return found('mcp-token-audience-mismatch', said(answer), claims, `n8n's resource is ${resource}: the token was issued for another URL`);
    return found('mcp-token-refused', said(answer), claims, ...(resource ? [`its audience is n8n's resource ${resource}: signed with another secret`] : []));
  }
  if (decoded.kind === 'public-api-key') return found('mcp-token-is-public-api-key', said(answer), claims);
  if (decoded.kind === 'oauth-access-token' && !oauthServed)
    return found(
      'mcp-token-refused',
      said(answer),
      claims,
      "this n8n's MCP server serves no OAuth (no resource_metadata in its challenge, n8n 1.x): it takes only its MCP API key",
    );
  if (decoded.kind === 'oauth-access-token') await discover();
  found('mcp-token-refused', said(answer), claims);
}
