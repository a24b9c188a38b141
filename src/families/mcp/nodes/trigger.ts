import { randomBytes, randomUUID } from 'node:crypto';
import type { Exchange } from '../../../parts/client/exchange.ts';
import { N8nRequestError } from '../../../parts/client/n8n-client.ts';
import { registerSecret } from '../../../base/secrets.ts';
import type { ScenarioContext } from '../../../core/types.ts';
import { answerExchange } from '../../webhooks/hooks.ts';
import { connect } from '../server/support.ts';

/** The trigger's own authentication, as its `authentication` parameter names it (besides `none` and 2.x's `n8nOAuth2`). */
export type TriggerAuth = 'bearerAuth' | 'headerAuth';

const CREDENTIAL_TYPE = { bearerAuth: 'httpBearerAuth', headerAuth: 'httpHeaderAuth' } as const;

/** The header a Header Auth trigger checks, as its credential names it. */
export const TRIGGER_HEADER = 'X-MCP-Token';

/** The tool connected to the trigger, as the trigger (v2) lists it: the node's name. */
export const TRIGGER_TOOL = 'Calculator';

/** A deployed MCP Server Trigger workflow: its path under /mcp/, its authentication and its credential's secret. */
export interface Trigger {
  id: string;
  path: string;
  auth: TriggerAuth;
  credentialId?: string;
  secret: string;
}

export const newTriggerSecret = (): string => registerSecret(randomBytes(18).toString('base64url'), 'secret');

/** The credential as n8n stores it: a Bearer Auth token, or a Header Auth name and value. */
export function triggerCredential(auth: TriggerAuth, secret: string): { name: string; type: string; data: Record<string, unknown> } {
  const data = auth === 'bearerAuth' ? { token: secret } : { name: TRIGGER_HEADER, value: secret };
  return { name: `mcp trigger ${auth}`, type: CREDENTIAL_TYPE[auth], data };
}

/** The headers that authenticate as the credential says. */
export function rightHeaders(t: Pick<Trigger, 'auth' | 'secret'>): Array<[string, string]> {
  return t.auth === 'bearerAuth' ? [['Authorization', `Bearer ${t.secret}`]] : [[TRIGGER_HEADER, t.secret]];
}

/** An MCP Server Trigger (v2: Streamable HTTP on its path) with n8n's Calculator tool connected. */
export function triggerWorkflow(path: string, auth: TriggerAuth, credentialId?: string): Record<string, unknown> {
  const credentials = credentialId ? { credentials: { [CREDENTIAL_TYPE[auth]]: { id: credentialId, name: `mcp trigger ${auth}` } } } : {};
  return {
    name: `authlab mcp trigger ${path}`,
    nodes: [
      {
        id: randomUUID(),
        name: 'MCP Server Trigger',
        type: '@n8n/n8n-nodes-langchain.mcpTrigger',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { authentication: auth, path },
        ...credentials,
      },
      { id: randomUUID(), name: 'Calculator', type: '@n8n/n8n-nodes-langchain.toolCalculator', typeVersion: 1, position: [0, 200], parameters: {} },
    ],
    connections: { Calculator: { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

export const triggerUrl = (ctx: ScenarioContext, t: Pick<Trigger, 'path'>): string => `${ctx.n8n.container.getBaseUrl()}/mcp/${t.path}`;

const REGISTER_WAIT_MS = 20_000;

/**
 * Waits until n8n serves the trigger's path (anything but 404, asked without credentials so that
 * nothing runs); says how it ended. A trigger n8n never registers is left for the probe to show.
 */
async function waitForTrigger(ctx: ScenarioContext, t: Trigger): Promise<string> {
  let last = '';
  for (const deadline = Date.now() + REGISTER_WAIT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const res = await fetch(triggerUrl(ctx, t), { method: 'POST' }).catch((err: Error) => err);
    last = res instanceof Error ? res.message : `${res.status} ${(await res.text()).slice(0, 120)}`;
    if (!(res instanceof Error) && res.status !== 404) return `served: a POST without credentials answers ${last}`;
  }
  return `not served after ${REGISTER_WAIT_MS / 1000} s: ${last}`;
}

/** Activates the workflow (`/activate`: 1.x's route, 2.x's alias of publish) and waits until its path is served. */
export async function activateTrigger(ctx: ScenarioContext, t: Trigger): Promise<{ activation: Exchange; served: string }> {
  const path = `/workflows/${t.id}/activate`;
  const answer = await ctx.n8n.client.publicApi('POST', path, ctx.n8n.apiKey.rawApiKey);
  const activation = answerExchange(ctx, `POST /api/v1${path}`, 'POST', `/api/v1${path}`, answer);
  const served = answer.status === 200 ? await waitForTrigger(ctx, t) : `not activated: ${answer.status}`;
  return { activation, served };
}

/** Creates the trigger's credential (unless `withCredential` is false) and its workflow; not yet active. */
export async function createTrigger(ctx: ScenarioContext, auth: TriggerAuth, path: string, withCredential: boolean): Promise<Trigger> {
  const secret = newTriggerSecret();
  const credentialId = withCredential ? await ctx.n8n.client.createCredential(triggerCredential(auth, secret)) : undefined;
  const created = await ctx.n8n.client.publicApi('POST', '/workflows', ctx.n8n.apiKey.rawApiKey, triggerWorkflow(path, auth, credentialId));
  if (created.status !== 200) throw new N8nRequestError('creating the MCP Server Trigger workflow failed', created);
  return { id: String((created.json as { id: string }).id), path, auth, credentialId, secret };
}

/** Attaches a new credential to the trigger's node and activates the workflow again. */
export async function attachCredential(ctx: ScenarioContext, t: Trigger): Promise<{ put: number; activation: Exchange; served: string }> {
  t.credentialId = await ctx.n8n.client.createCredential(triggerCredential(t.auth, t.secret));
  const put = await ctx.n8n.client.publicApi('PUT', `/workflows/${t.id}`, ctx.n8n.apiKey.rawApiKey, triggerWorkflow(t.path, t.auth, t.credentialId));
  if (put.status !== 200) throw new N8nRequestError('attaching the credential to the MCP Server Trigger failed', put);
  return { put: put.status, ...(await activateTrigger(ctx, t)) };
}

/** The SDK client connecting to the trigger with these headers and listing its tools, with what n8n logged meanwhile. */
export const sdkCall = (ctx: ScenarioContext, t: Trigger, label: string, headers: Array<[string, string]>): Promise<Exchange[]> =>
  connect(ctx, label, Object.fromEntries(headers), triggerUrl(ctx, t));
