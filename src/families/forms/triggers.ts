import { randomBytes, randomUUID } from 'node:crypto';
import { registerSecret } from '../../base/secrets.ts';
import type { Exchange } from '../../parts/client/exchange.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { withN8nLog } from '../../core/probes.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { loadWorkflow } from '../../core/workflows.ts';

/** Which trigger: n8n's Form Trigger (`/form/<path>`) or the langchain Chat Trigger's public chat (`/webhook/<webhookId>/chat`). */
export type TriggerKind = 'form' | 'chat';

/** The trigger's own `authentication` parameter. */
export type TriggerAuth = 'none' | 'basicAuth' | 'n8nUserAuth';

/** A trigger as deployed: its workflow, URL, node version and the Basic Auth credential's values. */
export interface Trigger {
  kind: TriggerKind;
  workflowId: string;
  url: string;
  auth: TriggerAuth;
  typeVersion: number;
  user: string;
  password: string;
  /** Whether n8n served its URL after activation (anything but 404), with its last answer. */
  served?: { served: boolean; last: string };
}

/** What a scenario deploys: the trigger, its node version (default: the fixture's) and a path unique to the scenario. */
export interface TriggerSpec {
  kind: TriggerKind;
  auth: TriggerAuth;
  typeVersion?: number;
  path: string;
}

const FIXTURE: Record<TriggerKind, string> = { form: 'form-trigger', chat: 'chat-trigger' };

interface FixtureNode {
  typeVersion: number;
  webhookId: string;
  credentials?: Record<string, { id: string; name: string }>;
}

/**
 * Creates the trigger's workflow from its fixture (with an httpBasicAuth credential for Basic Auth),
 * activates it through the public API (1.x and 2.x both serve `/activate`) and waits until n8n serves
 * its URL: anything but 404 to a GET sent with no credentials, which no trigger here runs a workflow for.
 */
export async function deployTrigger(ctx: ScenarioContext, spec: TriggerSpec): Promise<Trigger> {
  const user = 'form-user';
  const password = registerSecret(randomBytes(18).toString('base64url'), 'password');
  const webhookId = randomUUID();
  const workflow = await loadWorkflow(FIXTURE[spec.kind], { webhookId, webhookPath: spec.path, authentication: spec.auth });
  const node = (workflow.nodes as FixtureNode[])[0]!;
  if (spec.typeVersion !== undefined) node.typeVersion = spec.typeVersion;
  if (spec.auth === 'basicAuth') {
    const id = await ctx.n8n.client.createCredential({ name: `${spec.kind} basic auth`, type: 'httpBasicAuth', data: { user, password } });
    node.credentials = { httpBasicAuth: { id, name: `${spec.kind} basic auth` } };
  }
  const { id } = await ctx.n8n.client.deployWorkflow(ctx.n8n.apiKey.rawApiKey, workflow);
  const base = ctx.n8n.container.getBaseUrl();
  const url = spec.kind === 'chat' ? `${base}/webhook/${webhookId}/chat` : formUrl(base, spec.path, node.typeVersion);
  const trigger: Trigger = { kind: spec.kind, workflowId: id, url, auth: spec.auth, typeVersion: node.typeVersion, user, password };
  trigger.served = await waitUntilServed(trigger.url);
  return trigger;
}

/**
 * A form's production URL: v2 and later under `/form/<path>` (the path from the node's options), v1
 * under the webhook prefix with n8n's legacy `/n8n-form` suffix (its path a top-level parameter).
 */
function formUrl(base: string, path: string, typeVersion: number): string {
  return typeVersion >= 2 ? `${base}/form/${path}` : `${base}/webhook/${path}/n8n-form`;
}

/** Polls the URL until n8n answers anything but 404 (30 s at most); returns its last answer, for the proof. */
async function waitUntilServed(url: string): Promise<{ served: boolean; last: string }> {
  let last = '';
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const res = await fetch(url, { redirect: 'manual' }).catch((err: Error) => err);
    last = res instanceof Error ? res.message : `${res.status} ${(await res.text()).replace(/\s+/g, ' ').slice(0, 160)}`;
    if (!(res instanceof Error) && res.status !== 404) return { served: true, last };
  }
  return { served: false, last };
}

/** A request to the trigger as a visitor's browser or a script makes it. */
export interface TriggerCall {
  label: string;
  /** GET shows the form or the chat page; POST submits the form or sends a chat message. */
  method: 'GET' | 'POST';
  headers?: Array<[string, string]>;
}

/** The chat message the hosted chat posts. */
export const CHAT_MESSAGE = { action: 'sendMessage', sessionId: 'authlab-session', chatInput: 'hello' };

const BOUNDARY = 'authlab-form-boundary';

/** The form's one field ("Name", n8n's `field-0`) as its page submits it: multipart/form-data. */
const FORM_SUBMISSION = {
  contentType: `multipart/form-data; boundary=${BOUNDARY}`,
  bytes: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="field-0"\r\n\r\nauthlab\r\n--${BOUNDARY}--\r\n`),
};

/** The response headers a refusal or a redirect is read from. */
export const KEPT_HEADERS = ['WWW-Authenticate', 'Location'];

/**
 * Sends the call over a raw socket, with n8n's log. A page served (the form, the chat) is the
 * visitor let in: recorded as accepted, not as the editor's page the outcome would otherwise take it for.
 */
export async function callTrigger(ctx: ScenarioContext, trigger: Trigger, call: TriggerCall): Promise<Exchange> {
  const body = call.method !== 'POST' ? {} : trigger.kind === 'chat' ? { json: CHAT_MESSAGE } : { body: FORM_SUBMISSION };
  const e = await withN8nLog(ctx, () =>
    rawRequest({ label: call.label, url: trigger.url, method: call.method, headers: call.headers ?? [], ...body, keepResponseHeaders: KEPT_HEADERS }),
  );
  return e.outcome === 'editor-page' ? { ...e, outcome: 'accepted' } : e;
}

export const basicAuthHeader = (user: string, password: string): [string, string] => [
  'Authorization',
  `Basic ${registerSecret(Buffer.from(`${user}:${password}`).toString('base64'), 'password')}`,
];

/** The owner's `n8n-auth` cookie, as the editor's browser holds it. */
export function ownerCookie(ctx: ScenarioContext): [string, string] {
  const cookie = ctx.n8n.client.sessionCookie();
  if (!cookie) throw new Error("the owner's n8n-auth cookie is missing: the client is not signed in");
  return ['Cookie', cookie];
}

/** A response header kept with the answer, by name. */
export function keptHeader(e: Exchange, name: string): string | undefined {
  return e.response?.headers?.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}
