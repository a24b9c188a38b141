import { record, type Exchange } from '../../parts/client/exchange.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { check } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import type { Check, Judgement, Observation, ScenarioContext } from '../../core/types.ts';
import { deployBearerWorkflow, executionExchange, recentExecutions, type ExecutionSummary, type WebhookWorkflow } from '../../core/workflows.ts';
import { fingerprint } from '../../base/secrets.ts';
import { newEncryptionKey, workerOf, type StackSpec } from '../../parts/stack/auth-stack.ts';
import { N8nStartError, type StartedN8nContainer } from '../../parts/stack/n8n-container.ts';
import { DECRYPTION_ERROR } from '../../parts/diagnosis/executions.ts';
import { n8nDown } from './support.ts';

/**
 * Queue mode: main, PostgreSQL, Redis and one worker; each worker takes one job at a time, so
 * executions started together spread over the workers.
 */
const QUEUE_STACK: StackSpec = { name: 'queue', queue: { workers: 1, workerEnv: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '1' } }, providers: ['bearer-api'] };
const QUEUE_RUNS = 8;
const ODD_WORKER = 'n8n-worker-odd';

/** The workflow the executions run, and how the odd worker failed to start, if it did. */
interface QueueState {
  workflow: WebhookWorkflow;
  oddWorkerDown?: string;
}

/** A worker named ODD_WORKER beside the stack's, on the given key. */
function startOddWorker(ctx: ScenarioContext, encryptionKey: string | null): Promise<StartedN8nContainer> {
  return workerOf(ctx.n8n.container, ODD_WORKER, { encryptionKey, env: QUEUE_STACK.queue?.workerEnv ?? {} }).start();
}

/** Starts the workflow QUEUE_RUNS times at once and records each execution with the worker that ran it. */
async function runOnWorkers(ctx: ScenarioContext, { workflow }: QueueState, label: string): Promise<Exchange[]> {
  const url = `${ctx.n8n.container.getBaseUrl()}/webhook/${workflow.webhookPath}`;
  const triggers = await Promise.all(
    Array.from({ length: QUEUE_RUNS }, (_, i) => rawRequest({ label: `${label}: webhook call ${i + 1}`, url, headers: [], timeoutMs: 60_000 })),
  );
  const { path, status, text, executions } = await recentExecutions(ctx, workflow.id, QUEUE_RUNS);
  const ranOn = (id: string) =>
    ctx.stack.workers.find((w) => w.logLines.since(0).some((l) => l.includes(`Worker started execution ${id} `)))?.settings.alias ?? 'no worker logged it';
  return [
    ...triggers.map((t) => ({ ...t, context: true as const })),
    ...executions.map((e) => executionExchange(ctx, `${label}: execution ${e.id} on ${ranOn(e.id)}`, path, status, e, text)),
  ];
}

/** The odd worker's failed start, as a client-side record (it never took a job). */
function oddWorkerDown({ oddWorkerDown: down }: QueueState): Exchange[] {
  if (down === undefined) return [];
  return [
    record({
      label: `${ODD_WORKER}, started with another key`,
      via: 'client',
      request: { method: 'START', url: `container ${ODD_WORKER}`, headers: [] },
      error: down,
    }),
  ];
}

/** Which worker each recorded execution ran on, and whether it failed. */
function byWorker(exchanges: Exchange[]): Array<{ worker: string; failed: boolean; error: string }> {
  return exchanges
    .filter((e) => !e.context && e.request.url.includes('/executions'))
    .map((e) => {
      const summary = JSON.parse(e.response?.body ?? '{}') as ExecutionSummary;
      return { worker: /on (\S+)$/.exec(e.label)?.[1] ?? '?', failed: summary.status !== 'success', error: summary.error?.message ?? '' };
    });
}

/** Whether the workflow's newest recorded execution (runOnWorkers records them newest first) failed on decryption. */
function newestFailedOnDecryption(symptom: Exchange[]): boolean {
  const newest = byWorker(symptom)[0];
  return newest !== undefined && newest.failed && DECRYPTION_ERROR.test(newest.error);
}

/** The guide's claim: executions fail on the worker with the other key, and only there. */
function judgeOddWorker(obs: Observation): Judgement {
  const down = obs.symptom.find((e) => e.outcome === 'not-sent');
  if (down) {
    const why = `the worker with another key does not start: ${down.error ?? ''}`;
    return { happens: 'yes', symptomMatches: false, answered: why.slice(0, 200), reasons: [`nothing fails silently: ${why}`] };
  }
  const runs = byWorker(obs.symptom);
  const odd = runs.filter((r) => r.worker === ODD_WORKER);
  const others = runs.filter((r) => r.worker !== ODD_WORKER);
  const oddFailed = odd.filter((r) => r.failed);
  const othersFailed = others.filter((r) => r.failed);
  const reasons: string[] = [];
  const oddOk = odd.filter((r) => !r.failed || !DECRYPTION_ERROR.test(r.error));
  if (oddOk.length) reasons.push(`${oddOk.length} of ${odd.length} execution(s) on ${ODD_WORKER} did not fail on decryption`);
  if (othersFailed.length) reasons.push(`${othersFailed.length} execution(s) on the matching worker failed too: ${othersFailed[0]!.error}`);
  const error = oddFailed[0]?.error ? ` (${oddFailed[0].error.slice(0, 120)})` : '';
  return {
    happens: oddFailed.length === 0 ? 'no' : oddFailed.length === odd.length ? 'yes' : 'partly',
    ...(oddFailed.length && oddFailed.length < odd.length ? { condition: `on ${oddFailed.length} of the ${odd.length} execution(s) ${ODD_WORKER} took` } : {}),
    symptomMatches: reasons.length === 0,
    answered: `${oddFailed.length} of ${odd.length} execution(s) on ${ODD_WORKER} failed${error}; ${othersFailed.length} of ${others.length} elsewhere`,
    reasons,
  };
}

/** The executions spread over both workers (or the odd one refused to start): else the fault was never put to the test. */
function spreadOverWorkers(symptom: Exchange[]): Check[] {
  if (symptom.some((e) => e.outcome === 'not-sent')) return [];
  const runs = byWorker(symptom);
  const odd = runs.filter((r) => r.worker === ODD_WORKER).length;
  return [
    check(`the executions ran on ${ODD_WORKER} and on another worker`, odd > 0 && runs.length > odd, `${odd} on ${ODD_WORKER}, ${runs.length - odd} elsewhere`),
  ];
}

export const queueWorkerKey = defineScenario<QueueState>({
  id: 'secrets.queue-worker-key-mismatch',
  title: 'in queue mode, a worker with another N8N_ENCRYPTION_KEY fails the executions it takes, and only those',
  guide: {
    section: 'D',
    claim: "in queue mode, if one worker has a different key, credentials silently fail on that worker's executions but work fine on others",
    fix: 'every worker and the main instance must load the identical N8N_ENCRYPTION_KEY',
  },
  predicts: { outcome: 'other' },
  stack: QUEUE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const state: QueueState = { workflow: await deployBearerWorkflow(ctx) };
    const other = newEncryptionKey();
    ctx.progress(`starting ${ODD_WORKER} with another N8N_ENCRYPTION_KEY`);
    try {
      ctx.stack.workers.push(await startOddWorker(ctx, other));
    } catch (err) {
      if (!(err instanceof N8nStartError)) throw err;
      state.oddWorkerDown = n8nDown(ctx, `${ODD_WORKER}, started with another key`, err).error;
    }
    const mainKey = ctx.n8n.container.settings.encryptionKey ?? '';
    return {
      proof: [check(`${ODD_WORKER}'s key differs from the main's`, other !== mainKey, `main ${fingerprint(mainKey)}, ${ODD_WORKER} ${fingerprint(other)}`)],
      state,
    };
  },
  symptom: async (ctx, state) => [...oddWorkerDown(state), ...(await runOnWorkers(ctx, state, 'one worker on another key'))],
  proveFromRequest: spreadOverWorkers,
  judge: judgeOddWorker,
  remedies: [
    {
      name: `recreate ${ODD_WORKER} with the main's N8N_ENCRYPTION_KEY`,
      source: 'guide',
      apply: async (ctx) => {
        const at = ctx.stack.workers.findIndex((w) => w.settings.alias === ODD_WORKER);
        const mainKey = ctx.n8n.container.settings.encryptionKey ?? null;
        // Its own .n8n holds the other key now: a new container without that volume, as compose workers usually run.
        if (at >= 0) ctx.stack.workers[at] = await ctx.stack.workers[at]!.replace({ encryptionKey: mainKey, freshData: true });
        else ctx.stack.workers.push(await startOddWorker(ctx, mainKey));
      },
      probe: (ctx, state) => runOnWorkers(ctx, state, 'every worker on the same key'),
    },
  ],
  // n8n's API answers from the main, which has the right key; the worker's failed executions are
  // in the shared database, and the doctor judges each workflow by its latest: it sees the fault
  // when that one ran on the odd worker.
  doctor: {
    names: {
      among: ['credentials-undecryptable', 'healthy'],
      decide: (symptom) => (newestFailedOnDecryption(symptom) ? 'credentials-undecryptable' : 'healthy'),
    },
  },
});
