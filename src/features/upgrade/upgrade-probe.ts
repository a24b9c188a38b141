import type { Exchange } from '../../parts/client/exchange.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { API_KEY_HEADER, PUBLIC_WORKFLOWS, withN8nLog } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { executionError, type WebhookWorkflow, waitForWebhook } from '../../core/workflows.ts';
import { runWhenPublished, type WebhookRun } from './webhook-run.ts';

/** What each step checks: one ledger row each. */
export type UpgradeRow = 'start' | 'api-key' | 'webhook' | 'workflow' | 'credential';

/** A check of one step, with what n8n did in a few stable words (the ledger cell's behaviour, which the diff compares). */
export interface ProbeCheck extends Check {
  row: UpgradeRow;
  behaviour: string;
}

/** What the same things (the API key, the published workflow's webhook, the workflow and its credential) did on one version. */
export interface VersionProbe {
  version: string;
  /** Set when n8n did not start on this version over the data. */
  startError?: string;
  /** n8n's last log lines when it did not start (a failed migration says why here). */
  startLog?: string[];
  exchanges: Exchange[];
  checks: ProbeCheck[];
}

/** Starts `version` over the stack's data (from a running n8n or a failed start) and probes it. */
export async function startAndProbe(ctx: ScenarioContext, version: string, image: string, workflow: WebhookWorkflow): Promise<VersionProbe> {
  const failure = await ctx.stack.tryStartPrimary({ image, version });
  if (!failure) return probeVersion(ctx, version, workflow);
  return {
    version,
    startError: `${failure.message.split('\n')[0]}; it said: ${failure.said}`,
    startLog: failure.lastLogLines,
    exchanges: [],
    checks: [{ row: 'start', what: `n8n ${version} starts over the data`, ok: false, evidence: failure.said, behaviour: `did not start: ${failure.said}` }],
  };
}

/** The API key on the public API, the workflow's production webhook, and the workflow run with its credential, on the running n8n. */
export async function probeVersion(ctx: ScenarioContext, version: string, workflow: WebhookWorkflow): Promise<VersionProbe> {
  const { key, seconds } = await sendKeyPatiently(ctx, `n8n ${version}: the API key made on the first version`);
  // After a start over the same data, n8n registers the workflow's webhook again, on 2.x a moment later.
  const unregistered = await waitForWebhook(ctx, workflow).then(
    () => undefined,
    (err: Error) => err.message,
  );
  const published = await runWhenPublished(ctx, workflow, `n8n ${version}: the workflow`);
  const { run } = published;
  const [trigger] = run;
  const saved = run.find((e) => e.request.url.includes('/api/v1/executions'));
  const error = executionError(run);
  const sent = run.find((e) => e.via === 'n8n-workflow');
  // The newest execution must be this run's: the one before it is the previous step's.
  const execution = executionOf(saved, published.executionBefore);
  return {
    version,
    exchanges: [key, ...published.early, ...run],
    checks: [
      { row: 'start', what: `n8n ${version} starts over the data`, ok: true, evidence: 'n8n answered its health check', behaviour: 'started' },
      {
        row: 'api-key',
        what: `n8n ${version}: the API key works`,
        ok: key.outcome === 'accepted',
        evidence: `${key.response?.status ?? key.error} after ${seconds} s ${key.response?.body.slice(0, 80) ?? ''}`,
        behaviour: answerShape(key),
      },
      {
        row: 'webhook',
        what: `n8n ${version}: the published workflow's production webhook is registered and answers`,
        // It answers when it reaches the workflow (the workflow's own failure is the next row's).
        ok: unregistered === undefined && trigger?.response !== undefined && trigger.response.status !== 404,
        evidence: unregistered ?? `n8n knows its path; ${webhookStory(published, workflow)}`,
        behaviour: unregistered ? 'not registered' : `registered; ${earlyShape(published, workflow)}${trigger ? answerShape(trigger) : 'not called'}`,
      },
      {
        row: 'workflow',
        what: `n8n ${version}: the workflow runs and its credential decrypts`,
        ok: saved !== undefined && execution !== undefined && error === '',
        evidence: execution ? error || 'the execution succeeded' : 'no new execution was saved (the newest is the one before this run, if any)',
        behaviour: execution
          ? `execution ${execution.status}${execution.lastNode ? ` at "${execution.lastNode}"` : ''}${error ? `: ${error}` : ''}`
          : 'no execution',
      },
      {
        row: 'credential',
        what: `n8n ${version}: the credential reaches the API as it was stored`,
        ok: sent?.response?.status === 200,
        evidence: sent ? `the API answered ${sent.response?.status}` : 'no request reached the API',
        behaviour: sent ? sentShape(sent) : 'nothing sent',
      },
    ],
  };
}

const KEY_ANSWER_MS = 60_000;

/**
 * The key on the public API, given a minute to answer: n8n's first `/api/v1` request after a start
 * took over 10 s (the probes' usual limit) on a loaded machine. How long it took is evidence.
 */
async function sendKeyPatiently(ctx: ScenarioContext, label: string): Promise<{ key: Exchange; seconds: number }> {
  const started = Date.now();
  const key = await withN8nLog(ctx, () =>
    rawRequest({
      label,
      url: `${ctx.n8n.container.getBaseUrl()}${PUBLIC_WORKFLOWS}`,
      headers: [[API_KEY_HEADER, ctx.n8n.apiKey.rawApiKey]],
      timeoutMs: KEY_ANSWER_MS,
    }),
  );
  return { key, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** The execution the run read back, in short (none when n8n saved none, or the newest is still the one before the run). */
function executionOf(saved: Exchange | undefined, before: string | undefined): { status: string; lastNode?: string } | undefined {
  const body = JSON.parse(saved?.response?.body ?? '{}') as { id?: string; status?: string; lastNode?: string };
  return body.status && body.id !== before ? { status: body.status, lastNode: body.lastNode } : undefined;
}

/** n8n's 404 message, the workflow's id left out (it is the same on every step). */
function notFoundText(e: Exchange, workflow: WebhookWorkflow): string {
  const message = (JSON.parse(e.response?.body ?? '{}') as { message?: string }).message ?? e.response?.body ?? '';
  return message.replaceAll(workflow.id, '<id>').slice(0, 120);
}

/** The 404s before the run, in the words of a behaviour (`answered 404 "..." first; `). */
function earlyShape(r: WebhookRun, workflow: WebhookWorkflow): string {
  const first = r.early[0];
  return first ? `answered 404 "${notFoundText(first, workflow)}" first; ` : '';
}

/** What the webhook answered, with how long it answered 404 first. */
function webhookStory(r: WebhookRun, workflow: WebhookWorkflow): string {
  const [trigger] = r.run;
  const last = `GET answered ${trigger?.response?.status ?? trigger?.error}`;
  const first = r.early[0];
  return first ? `GET answered 404 "${notFoundText(first, workflow)}" ${r.early.length} time(s) for ${r.waitedSeconds} s, then: ${last}` : last;
}

/** An answer as status, outcome and the field names of its JSON (of its first item, for a list). */
export function answerShape(e: Exchange): string {
  if (!e.response) return `no answer: ${e.error ?? e.outcome}`;
  const fields = jsonKeys(e.response.body);
  return `${e.response.status} ${e.outcome}${fields.length ? `; fields ${fields.join(', ')}` : ''}`;
}

/** What n8n's request to the mock API carried: the API's status, the header names, and n8n's User-Agent. */
function sentShape(e: Exchange): string {
  const names = e.request.headers.map(([k]) => k.toLowerCase()).sort();
  const agent = e.request.headers.find(([k]) => k.toLowerCase() === 'user-agent')?.[1];
  return `${e.response?.status ?? 'no answer'}; headers ${names.join(', ')}${agent ? `; User-Agent ${agent}` : ''}`;
}

/** The field names of a JSON answer (of its first item, for a list answer). */
export function jsonKeys(body: string | undefined): string[] {
  try {
    const value = JSON.parse(body ?? '') as unknown;
    if (value === null || typeof value !== 'object') return [];
    const first = Array.isArray((value as { data?: unknown }).data) ? ((value as { data: unknown[] }).data[0] ?? {}) : value;
    return Object.keys(first as object).sort();
  } catch {
    return [];
  }
}
