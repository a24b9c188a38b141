import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { record, type Exchange } from '../../parts/client/exchange.ts';
import type { Answer } from '../../parts/client/n8n-client.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { withN8nLog } from '../../core/probes.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { waitForWebhook } from '../../core/workflows.ts';
import { registerSecret } from '../../base/secrets.ts';

/** The Webhook node's own authentication, as its `authentication` parameter names it. */
export type WebhookAuth = 'none' | 'headerAuth' | 'basicAuth' | 'jwtAuth';

/** The credential type each authentication needs on the Webhook node. */
const CREDENTIAL_TYPE = { headerAuth: 'httpHeaderAuth', basicAuth: 'httpBasicAuth', jwtAuth: 'jwtAuth' } as const;

/** The header Header Auth scenarios use, in the case the credential names it. */
export const HOOK_HEADER = 'X-Hook-Token';

/** What the hook's credential holds: generated per hook, registered for masking. */
export interface HookSecrets {
  headerValue: string;
  user: string;
  password: string;
  jwtSecret: string;
}

/** A webhook workflow as deployed: its path, its authentication and the credential's values. */
export interface Hook {
  id: string;
  path: string;
  auth: WebhookAuth;
  credentialId?: string;
  secrets: HookSecrets;
}

const secret = (kind: 'secret' | 'password' | 'jwt-secret') => registerSecret(randomBytes(18).toString('base64url'), kind);

export function newSecrets(): HookSecrets {
  return { headerValue: secret('secret'), user: 'hook-user', password: secret('password'), jwtSecret: secret('jwt-secret') };
}

/** A one-node workflow: a GET Webhook that answers at once, with the given authentication and credential. */
export function webhookWorkflow(path: string, auth: WebhookAuth, credentialId?: string): Record<string, unknown> {
  const credentials = auth !== 'none' && credentialId ? { credentials: { [CREDENTIAL_TYPE[auth]]: { id: credentialId, name: `webhook ${auth}` } } } : {};
  return {
    name: `authlab webhook ${path}`,
    nodes: [
      {
        id: randomUUID(),
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { httpMethod: 'GET', path, authentication: auth, responseMode: 'onReceived', options: {} },
        ...credentials,
      },
    ],
    connections: {},
    settings: { executionOrder: 'v1' },
  };
}

/** The credential's data for an authentication (`headerValue`: the value as stored, a pasted newline included). */
export function credentialData(auth: Exclude<WebhookAuth, 'none'>, s: HookSecrets, headerValue = s.headerValue): Record<string, unknown> {
  if (auth === 'headerAuth') return { name: HOOK_HEADER, value: headerValue };
  if (auth === 'basicAuth') return { user: s.user, password: s.password };
  return { keyType: 'passphrase', secret: s.jwtSecret, algorithm: 'HS256' };
}

/** The credential a hook's authentication checks, as n8n stores it. */
export function hookCredential(
  auth: Exclude<WebhookAuth, 'none'>,
  data: Record<string, unknown>,
): { name: string; type: string; data: Record<string, unknown> } {
  return { name: `webhook ${auth}`, type: CREDENTIAL_TYPE[auth], data };
}

export async function createHookCredential(ctx: ScenarioContext, auth: Exclude<WebhookAuth, 'none'>, data: Record<string, unknown>): Promise<string> {
  return ctx.n8n.client.createCredential(hookCredential(auth, data));
}

/** A REST or public API answer as a recorded exchange (shown beside the probes, not judged). */
export function answerExchange(ctx: ScenarioContext, label: string, method: string, path: string, answer: Answer): Exchange {
  return record({
    label,
    via: 'client',
    request: { method, url: `${ctx.n8n.container.getBaseUrl()}${path}`, headers: [] },
    response: { status: answer.status, body: answer.text },
    context: true,
  });
}

/**
 * Publishes a workflow as the release at hand names it: n8n 2.x serves `POST /workflows/{id}/publish`
 * (and keeps `/activate` as a deprecated alias), 1.x only `/activate`. Which one answered is decided
 * by n8n's 404 (or 405), not by the version. On success, waits until n8n registered the webhook.
 */
export async function publishWorkflow(ctx: ScenarioContext, hook: Pick<Hook, 'id' | 'path'>): Promise<Exchange> {
  const exchange = await toggleWorkflow(ctx, hook.id, ['publish', 'activate']);
  if (exchange.response?.status === 200) await waitForWebhook(ctx, { id: hook.id, webhookPath: hook.path });
  return exchange;
}

/**
 * Waits (up to 30 s) until the hook's own GET is served, sent without credentials so that nothing
 * runs: anything but 404. Right after a workflow is unpublished and published again, n8n 2.x may
 * already name the path for another method while its GET still answers "not registered" (seen
 * under load). A hook that never comes back is left for the probe to show.
 */
export async function waitUntilServed(ctx: ScenarioContext, hook: Pick<Hook, 'path' | 'auth'>): Promise<void> {
  if (hook.auth === 'none') return;
  const url = `${ctx.n8n.container.getBaseUrl()}/webhook/${hook.path}`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const status = await fetch(url).then(
      (res) => res.body?.cancel().then(() => res.status) ?? res.status,
      () => 0,
    );
    if (status !== 404 && status !== 0) return;
  }
}

/** Unpublishes (2.x) or deactivates (1.x) a workflow, whichever n8n serves. */
export function unpublishWorkflow(ctx: ScenarioContext, hook: Pick<Hook, 'id'>): Promise<Exchange> {
  return toggleWorkflow(ctx, hook.id, ['unpublish', 'deactivate']);
}

async function toggleWorkflow(ctx: ScenarioContext, id: string, [current, legacy]: [string, string]): Promise<Exchange> {
  const key = ctx.n8n.apiKey.rawApiKey;
  let path = `/workflows/${id}/${current}`;
  let answer = await ctx.n8n.client.publicApi('POST', path, key);
  // 1.x has no such route (404; 1.123 answers 405 "POST method not allowed"); a missing workflow
  // would answer 404 on both, and the second answer says so.
  if (answer.status === 404 || answer.status === 405) {
    path = `/workflows/${id}/${legacy}`;
    answer = await ctx.n8n.client.publicApi('POST', path, key);
  }
  return answerExchange(ctx, `POST /api/v1${path}`, 'POST', `/api/v1${path}`, answer);
}

/**
 * What the editor's "Execute workflow" button does for a workflow whose trigger is a webhook: a
 * manual run from that trigger, which n8n answers with `waitingForWebhook` and one test URL call
 * registered. The body carries the workflow as stored (n8n 1.x runs what it is sent; 2.x reads
 * its own copy and ignores it) and the trigger to start from (both read it).
 */
export async function listenForTestCall(ctx: ScenarioContext, hook: Pick<Hook, 'id'>): Promise<Exchange> {
  const stored = await ctx.n8n.client.call('GET', `/rest/workflows/${hook.id}`);
  const workflowData = (stored.json as { data?: unknown } | undefined)?.data;
  const path = `/rest/workflows/${hook.id}/run`;
  const answer = await ctx.n8n.client.call('POST', path, { body: { workflowData, triggerToStartFrom: { name: 'Webhook' } } });
  return answerExchange(ctx, `POST ${path} (the editor's "Execute workflow")`, 'POST', path, answer);
}

/** Whether n8n answered a manual run by waiting for the test URL call. */
export function waitsForWebhook(e: Exchange): boolean {
  return /"waitingForWebhook"\s*:\s*true/.test(e.response?.body ?? '');
}

/** Whether n8n says the workflow is active (published), read back through the public API. */
export async function isActive(ctx: ScenarioContext, id: string): Promise<{ active: boolean; evidence: string }> {
  const answer = await ctx.n8n.client.publicApi('GET', `/workflows/${id}`, ctx.n8n.apiKey.rawApiKey);
  const json = answer.json as { active?: boolean; activeVersionId?: string | null } | undefined;
  const version = json && 'activeVersionId' in json ? `, activeVersionId ${json.activeVersionId ?? 'null'}` : '';
  return { active: json?.active === true, evidence: `GET /api/v1/workflows/${id}: ${answer.status}, active ${String(json?.active)}${version}` };
}

/** A call to the hook as a user's client makes it: which URL (production or test), method and headers. */
export interface HookCall {
  label: string;
  method?: 'GET' | 'POST';
  /** `webhook` (production) or `webhook-test` (the editor's test URL). */
  prefix?: 'webhook' | 'webhook-test';
  headers?: Array<[string, string]>;
}

export const WWW_AUTHENTICATE = 'WWW-Authenticate';

/** Calls the hook over a raw socket (the header bytes as given), with n8n's log and its WWW-Authenticate challenge. */
export function callHook(ctx: ScenarioContext, hook: Hook, call: HookCall): Promise<Exchange> {
  return withN8nLog(ctx, () =>
    rawRequest({
      label: call.label,
      url: hookUrl(ctx, hook, call),
      method: call.method ?? 'GET',
      headers: call.headers ?? [],
      keepResponseHeaders: [WWW_AUTHENTICATE],
    }),
  );
}

/** The URL a call goes to: the production or the test URL of the hook's path. */
export function hookUrl(ctx: ScenarioContext, hook: Hook, call: Pick<HookCall, 'prefix'>): string {
  return `${ctx.n8n.container.getBaseUrl()}/${call.prefix ?? 'webhook'}/${hook.path}`;
}

/** A JWT for the hook's JWT Auth, signed with `secret`: issued at `iat` (unix s), with `nbf` and `exp` when given. */
export async function hookJwt(secret: string, claims: { iat: number; nbf?: number; exp?: number }): Promise<string> {
  const jwt = new SignJWT({ sub: 'authlab-caller' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(claims.iat);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const basicHeader = (user: string, password: string): [string, string] => [
  'Authorization',
  `Basic ${registerSecret(Buffer.from(`${user}:${password}`).toString('base64'), 'password')}`,
];

/** The headers that authenticate the hook, as its credential says. */
export async function rightAuth(hook: Hook): Promise<Array<[string, string]>> {
  const s = hook.secrets;
  if (hook.auth === 'headerAuth') return [[HOOK_HEADER, s.headerValue]];
  if (hook.auth === 'basicAuth') return [basicHeader(s.user, s.password)];
  if (hook.auth === 'jwtAuth') return [['Authorization', `Bearer ${await hookJwt(s.jwtSecret, { iat: nowSeconds(), exp: nowSeconds() + 300 })}`]];
  return [];
}
