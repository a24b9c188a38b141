import type { ConnectTo } from '../../../parts/client/connect-to.ts';
import { registerSecret } from '../../../base/secrets.ts';
import { check, prerequisite, withN8nLog } from '../../../core/probes.ts';
import type { Check, DoctorExpectation, DoctorVerdict, ScenarioContext } from '../../../core/types.ts';
import type { Exchange } from '../../../parts/client/exchange.ts';
import { type McpSessionRequest, mcpSession } from '../../../parts/client/mcp-client.ts';
import { required } from '../../../core/define.ts';
import type { StackSpec } from '../../../parts/stack/auth-stack.ts';
import { decodeMcpToken } from '../../../parts/diagnosis/mcp-token.ts';

/** The public URL n8n is told it has: NGINX's, by a name the SDK's client resolves to NGINX's published port. */
export const PUBLIC_HOST = 'mcp.lab';

/**
 * One n8n with its `mcp` module loaded (1.x loads it only when asked), NGINX in front of it, its base
 * URL the public one: every server scenario shares it (those about the token call n8n straight).
 */
export const MCP_SERVER_STACK: StackSpec = {
  name: 'mcp-server',
  modules: ['mcp'],
  proxies: ['nginx'],
  env: { N8N_EDITOR_BASE_URL: `http://${PUBLIC_HOST}` },
};

export const MCP_PATH = '/mcp-server/http';

/** The stack's NGINX, in front of n8n. */
export const nginxOf = (ctx: ScenarioContext) => required(ctx.stack.proxy?.servers.nginx, 'the stack has no NGINX');

/** n8n's MCP server on a public name, through NGINX: the URL and how the SDK's client reaches that name. */
export function publicMcp(ctx: ScenarioContext, host = PUBLIC_HOST): Pick<McpSessionRequest, 'url' | 'pinned'> {
  return { url: `http://${host}${MCP_PATH}`, pinned: { host, port: Number(new URL(nginxOf(ctx).getBaseUrl()).port) } };
}

/** What the doctor is given to call the public URL: --connect-to the public name's port 80 at NGINX's published port, as a user whose DNS is not live yet would. */
export function publicMcpRoute(ctx: ScenarioContext, host = PUBLIC_HOST): { url: string; connectTo: ConnectTo[] } {
  const { url, pinned } = publicMcp(ctx, host);
  return { url, connectTo: [{ host, port: 80, toHost: '127.0.0.1', toPort: pinned!.port }] };
}

/** Where the SDK's client connects: n8n's instance MCP server, straight. */
export const mcpUrlOf = (ctx: ScenarioContext): string => `${ctx.n8n.container.getBaseUrl()}${MCP_PATH}`;

/**
 * Turns the instance's MCP access on or off as Settings > MCP Access does (PATCH /rest/mcp/settings,
 * the owner signed in). A version without the module answers 404: that proof is a prerequisite.
 */
export async function setMcpAccess(ctx: ScenarioContext, enabled: boolean): Promise<Check[]> {
  const answer = await ctx.n8n.client.call('PATCH', '/rest/mcp/settings', { body: { mcpAccessEnabled: enabled } });
  const evidence = `PATCH /rest/mcp/settings {"mcpAccessEnabled":${enabled}} -> ${answer.status} ${answer.text.slice(0, 120)}`;
  if (answer.status === 404) return [prerequisite('this n8n has the instance MCP server (module mcp)', false, evidence)];
  const now = (answer.json as { data?: { mcpAccessEnabled?: boolean } } | undefined)?.data?.mcpAccessEnabled;
  return [check(`MCP access is ${enabled ? 'on' : 'off'} in the instance's settings`, answer.status === 200 && now === enabled, evidence)];
}

/** An MCP access token as Settings > MCP Access gives it ("rotate" always answers the whole token; "get" redacts one that exists). */
export async function issueMcpToken(ctx: ScenarioContext): Promise<{ token: string; proof: Check }> {
  const answer = await ctx.n8n.client.call('POST', '/rest/mcp/api-key/rotate');
  const token = (answer.json as { data?: { apiKey?: string } } | undefined)?.data?.apiKey ?? '';
  if (token) registerSecret(token, 'api-key');
  const proof = check(
    'the owner was given an MCP access token',
    answer.status === 200 && token.split('.').length === 3,
    `POST /rest/mcp/api-key/rotate -> ${answer.status}, a ${token.split('.').length === 3 ? 'JWT' : 'non-JWT'} of ${token.length} chars`,
  );
  return { token, proof };
}

/** MCP access on and a fresh token: where the scenarios about the token and header start. */
export async function mcpReady(ctx: ScenarioContext): Promise<{ token: string; proof: Check[] }> {
  const access = await setMcpAccess(ctx, true);
  if (access.some((c) => c.prerequisite)) return { token: '', proof: access };
  const { token, proof } = await issueMcpToken(ctx);
  return { token, proof: [...access, proof] };
}

/** The SDK's client connecting with these headers; n8n's log lines during it on the judged exchange. */
export async function connect(ctx: ScenarioContext, label: string, headers: Record<string, string>, url = mcpUrlOf(ctx)): Promise<Exchange[]> {
  let wire: Exchange[] = [];
  const judged = await withN8nLog(ctx, async () => {
    const [first, ...rest] = await mcpSession({ label, url, headers });
    wire = rest;
    return first!;
  });
  return [judged, ...wire];
}

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/** The `aud` claim of a JWT, read without verifying it (which key is which). */
export function audienceOf(jwt: string): string {
  const token = decodeMcpToken(jwt);
  return token.kind === 'not-a-jwt' ? '(not a JWT)' : token.audiences.join(',') || '(none)';
}

/**
 * What `authlab doctor --mcp-url <n8n>/mcp-server/http` is given: while broken, the Authorization
 * value the client sends ('' for none); once fixed, the right token as Bearer (it must report healthy).
 */
export function mcpDoctor<S>(names: DoctorVerdict, sent: (ctx: ScenarioContext, state: S) => string, right: (state: S) => string): DoctorExpectation<S> {
  return {
    names,
    input: (ctx, phase, state) => ({ mcp: { url: mcpUrlOf(ctx), token: phase === 'broken' ? sent(ctx, state) : `Bearer ${right(state)}` } }),
  };
}
