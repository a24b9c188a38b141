import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeBytes, record, type Exchange, type Outcome } from '../parts/client/exchange.ts';
import { rawRequest } from '../parts/client/raw-http.ts';
import { FIXTURES_DIR } from '../parts/images/paths.ts';
import type { ProviderRecord } from '../parts/providers/types.ts';
import { StartedProviderContainer } from '../parts/stack/provider-container.ts';
import { withN8nLog } from './probes.ts';
import type { ScenarioContext } from './types.ts';

/** A workflow from fixtures/workflows/<name>.json with its @@placeholders@@ filled in. */
export async function loadWorkflow(name: string, values: Record<string, string>): Promise<Record<string, unknown>> {
  let text = await readFile(join(FIXTURES_DIR, 'workflows', `${name}.json`), 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`@@${key}@@`, JSON.stringify(value).slice(1, -1));
  const left = /@@(\w+)@@/.exec(text);
  if (left) throw new Error(`workflow fixture ${name} needs a value for @@${left[1]}@@`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A deployed workflow that a GET on its webhook starts. */
export interface WebhookWorkflow {
  id: string;
  webhookPath: string;
}

/** Creates and activates a fixture workflow on the primary n8n through the public API. */
export async function deployWebhookWorkflow(ctx: Pick<ScenarioContext, 'n8n'>, fixture: string, values: Record<string, string>): Promise<WebhookWorkflow> {
  const webhookPath = `authlab-${randomUUID().slice(0, 8)}`;
  const workflow = await loadWorkflow(fixture, { ...values, webhookPath, webhookId: randomUUID() });
  const { id } = await ctx.n8n.client.deployWorkflow(ctx.n8n.apiKey.rawApiKey, workflow);
  await waitForWebhook(ctx, { id, webhookPath });
  return { id, webhookPath };
}

/** A workflow whose node uses one credential: the credential as n8n stores it, the fixture and its values (the credential's id aside). */
export interface CredentialWorkflow {
  credential: { name: string; type: string; data: Record<string, unknown> };
  fixture: string;
  values: Record<string, string>;
}

/** Creates the credential, then the workflow on it, activated. */
export async function deployCredentialWorkflow(ctx: ScenarioContext, w: CredentialWorkflow): Promise<{ credentialId: string; workflow: WebhookWorkflow }> {
  const credentialId = await ctx.n8n.client.createCredential(w.credential);
  return { credentialId, workflow: await deployWebhookWorkflow(ctx, w.fixture, { ...w.values, credentialId }) };
}

const WEBHOOK_WAIT_MS = 30_000;
/** n8n's 404 for a path it knows under another method: the webhook is registered. */
const KNOWN_PATH_OTHER_METHOD = /not registered for POST requests/;

/**
 * Some n8n versions register an activated workflow's webhooks at once, others a moment later from
 * a publication queue (2.x, and some late 1.x). Rather than guess from the version, ask n8n: a
 * POST to the fixtures' GET webhook answers "not registered for POST requests" once n8n knows the
 * path, and "not registered" before. It never runs the workflow. n8n started again over the same
 * data (a restart, an upgrade) registers them again the same way.
 */
export async function waitForWebhook(ctx: Pick<ScenarioContext, 'n8n'>, { id: workflowId, webhookPath }: WebhookWorkflow): Promise<void> {
  const url = `${ctx.n8n.container.getBaseUrl()}/webhook/${webhookPath}`;
  const deadline = Date.now() + WEBHOOK_WAIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const res = await fetch(url, { method: 'POST' }).catch((err: Error) => err);
    last = res instanceof Error ? res.message : `${res.status} ${(await res.text()).slice(0, 160)}`;
    if (KNOWN_PATH_OTHER_METHOD.test(last)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `n8n did not register the webhook of workflow ${workflowId} within ${WEBHOOK_WAIT_MS / 1000} s after activating it (a POST to it last got: ${last})`,
  );
}

/** A mock provider's URL as n8n reaches it on the stack network. */
export function providerUrl(provider: string): string {
  return StartedProviderContainer.internalUrl(provider);
}

/** What one run of a webhook workflow shows: the webhook's answer, what the provider got and said, and the execution n8n saved. */
export async function runWebhookWorkflow(
  ctx: ScenarioContext,
  workflow: WebhookWorkflow,
  label: string,
  provider: string,
  /** The key to read the execution with, when the stack's own key no longer works. */
  readKey = ctx.n8n.apiKey.rawApiKey,
): Promise<Exchange[]> {
  const providers = ctx.stack.providers?.container;
  if (!providers) throw new Error(`stack ${ctx.stack.spec.name} runs no mock providers`);
  const mark = await providers.settledMark();
  const before = await newestExecutionId(ctx, workflow.id, readKey);
  const trigger = await triggerWebhook(ctx, workflow, label);
  const received = await providers.recordsSince(mark, provider);
  // A started workflow's execution may be saved after its webhook answered: wait for it rather than read the one before.
  const newerThan = trigger.response?.status === 200 ? (before ?? '0') : undefined;
  return [
    trigger,
    ...received.map((r) => providerExchange(`${label}: what n8n sent to ${provider} and its answer`, r)),
    await lastExecution(ctx, workflow.id, `${label}: the execution n8n saved, read back through the public API`, readKey, newerThan),
  ];
}

/** The id of a workflow's newest execution, read once (none yet: undefined). */
export async function newestExecutionId(ctx: ScenarioContext, workflowId: string, readKey: string): Promise<string | undefined> {
  const answer = await ctx.n8n.client.publicApi('GET', `/executions?workflowId=${workflowId}&limit=1`, readKey);
  const id = (answer.json as { data?: Array<{ id: string | number }> } | undefined)?.data?.[0]?.id;
  return id === undefined ? undefined : String(id);
}

/** The GET on a workflow's webhook that starts it, with n8n's log: shown as context (the run's own requests are judged). */
export async function triggerWebhook(ctx: ScenarioContext, workflow: WebhookWorkflow, label: string): Promise<Exchange> {
  const trigger = await withN8nLog(ctx, () =>
    rawRequest({
      label: `${label}: the webhook that starts the workflow`,
      url: `${ctx.n8n.container.getBaseUrl()}/webhook/${workflow.webhookPath}`,
      headers: [],
      timeoutMs: 60_000,
    }),
  );
  return { ...trigger, context: true };
}

/** A request n8n's workflow made, as the provider received it. */
export function providerExchange(label: string, r: ProviderRecord): Exchange {
  return record({
    label,
    via: 'n8n-workflow',
    // Values as the bytes that arrived: a stray NBSP or BOM shows as \xc2\xa0 or \xef\xbb\xbf.
    request: { method: r.method, url: `${providerUrl(r.provider)}${r.path}`, headers: r.headers.map(([k, v]) => [k, escapeBytes(Buffer.from(v, 'latin1'))]) },
    response: { status: r.status, body: r.body },
  });
}

interface SavedExecution {
  id: string | number;
  status?: string;
  finished?: boolean;
  stoppedAt?: string | null;
  data?: {
    resultData?: { error?: { message?: string; description?: string; httpCode?: string | number } & Record<string, unknown>; lastNodeExecuted?: string };
  };
}

/** What an execution n8n saved says, in short. */
export interface ExecutionSummary {
  id: string;
  status: string;
  lastNode?: string;
  error?: { message?: string; description?: string; httpCode?: string | number; whole?: string };
}

/**
 * The newest `count` executions of a workflow, read through the public API once all of them
 * have stopped (n8n saves an execution just after its webhook answers) and, given `newerThan`,
 * once all of them are later than that one (runs started a moment ago, not the ones before them).
 */
export async function recentExecutions(
  ctx: ScenarioContext,
  workflowId: string,
  count: number,
  readKey = ctx.n8n.apiKey.rawApiKey,
  newerThan?: string,
): Promise<{ path: string; status: number; text: string; executions: ExecutionSummary[] }> {
  const path = `/executions?workflowId=${workflowId}&includeData=true&limit=${count}`;
  let answer = await ctx.n8n.client.publicApi('GET', path, readKey);
  const saved = () => (answer.json as { data?: SavedExecution[] } | undefined)?.data ?? [];
  const stale = () => newerThan !== undefined && saved().some((e) => !(Number(e.id) > Number(newerThan)));
  const tries = newerThan === undefined ? 40 : 80;
  for (let i = 0; i < tries && (saved().length < count || saved().some((e) => !e.stoppedAt) || stale()); i++) {
    await new Promise((r) => setTimeout(r, 250));
    answer = await ctx.n8n.client.publicApi('GET', path, readKey);
  }
  const executions = saved().map((e): ExecutionSummary => {
    const error = e.data?.resultData?.error;
    return {
      id: String(e.id),
      status: e.status ?? (e.finished ? 'success' : 'error'),
      lastNode: e.data?.resultData?.lastNodeExecuted,
      ...(error ? { error: { message: error.message, description: error.description, httpCode: error.httpCode, whole: errorText(error) } } : {}),
    };
  });
  return { path, status: answer.status, text: answer.text, executions };
}

/** The whole error n8n saved, without the node's parameters and request context (which carry no message), for text searches. */
function errorText(error: Record<string, unknown>): string {
  const { node: _node, context: _context, stack: _stack, ...rest } = error;
  return JSON.stringify(rest).slice(0, 3000);
}

/** An execution as a recorded exchange; its outcome is what the execution says: accepted when it succeeded, else the class of the HTTP code in its error. */
export function executionExchange(
  ctx: ScenarioContext,
  label: string,
  path: string,
  status: number,
  execution: ExecutionSummary | undefined,
  otherwise = '',
): Exchange {
  const error = execution?.error;
  const outcome: Outcome = !execution ? 'other' : !error ? 'accepted' : String(error.httpCode) === '401' ? 'rejected' : 'other';
  return record({
    label,
    via: 'client',
    request: { method: 'GET', url: `${ctx.n8n.container.getBaseUrl()}/api/v1${path}`, headers: [] },
    response: { status, body: JSON.stringify(execution ?? { none: otherwise.slice(0, 300) }) },
    outcome,
  });
}

/** The newest execution of a workflow, read through the public API. */
export async function lastExecution(
  ctx: ScenarioContext,
  workflowId: string,
  label: string,
  readKey = ctx.n8n.apiKey.rawApiKey,
  newerThan?: string,
): Promise<Exchange> {
  const { path, status, text, executions } = await recentExecutions(ctx, workflowId, 1, readKey, newerThan);
  return executionExchange(ctx, label, path, status, executions[0], text);
}

/**
 * A credential-using workflow: an HTTP Request node with a Header Auth credential that holds
 * the Bearer API's token. Its executions show whether n8n could decrypt and send the credential.
 */
export async function deployBearerWorkflow(ctx: ScenarioContext, value?: string): Promise<WebhookWorkflow> {
  const token = ctx.stack.providers?.secrets.BEARER_API_TOKEN;
  if (!token) throw new Error(`stack ${ctx.stack.spec.name} runs no bearer-api provider`);
  const credentialId = await ctx.n8n.client.createCredential({
    name: 'bearer-api token',
    type: 'httpHeaderAuth',
    data: { name: 'Authorization', value: value ?? `Bearer ${token}` },
  });
  return deployWebhookWorkflow(ctx, 'bearer-api-call', { credentialId, providerUrl: providerUrl('bearer-api') });
}

/** The execution's error message, from a run's recorded exchanges ('' when it succeeded). */
export function executionError(run: Exchange[], opts: { whole?: boolean } = {}): string {
  const saved = run.find((e) => e.request.url.includes('/api/v1/executions'));
  const summary = JSON.parse(saved?.response?.body ?? '{}') as ExecutionSummary;
  if (opts.whole) return summary.error?.whole ?? '';
  return [summary.error?.message, summary.error?.description].filter(Boolean).join(' / ');
}
