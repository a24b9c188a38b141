import { defineScenario } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { waitForWebhook, type ExecutionSummary } from '../../core/workflows.ts';
import { record, type Exchange } from '../../parts/client/exchange.ts';
import { QUEUE_TWO_WORKERS } from '../stacks.ts';
import {
  apiToken,
  deployEnvCall,
  ENV_NAME,
  type EnvCallState,
  envProof,
  FROM_ENV,
  keyInCredential,
  reachedApi,
  runEnvCall,
  storeInCredential,
} from './support.ts';

const RAN_ON = 'the n8n process that ran the execution';
/** The credential's value with the variable unset: the expression's `undefined` renders as nothing, or as the word. */
const NO_KEY = /^Bearer\s*(undefined|null)?$/;

/** A run of the workflow, with the process that ran its execution (a worker's log says "Worker started execution <id>"). */
async function runInQueue(ctx: ScenarioContext, state: EnvCallState, label: string): Promise<Exchange[]> {
  const run = await runEnvCall(ctx, state, label);
  const saved = run.find((e) => e.request.url.includes('/api/v1/executions'));
  const id = (JSON.parse(saved?.response?.body ?? '{}') as Partial<ExecutionSummary>).id;
  const worker = ctx.stack.workers.find((w) => w.logLines.since(0).some((l) => l.includes(`Worker started execution ${id} `)));
  const ranOn = record({
    label: `${label}: ${RAN_ON}`,
    via: 'client',
    request: { method: 'GET', url: 'docker logs (main and workers)', headers: [] },
    response: { status: 200, body: id === undefined ? 'no execution read' : `execution ${id}: ${worker?.settings.alias ?? 'no worker logged it'}` },
    context: true,
  });
  return [...run, ranOn];
}

/** The fault put to the test: a worker ran the execution, and what reached the API carried no key. */
function ranOnWorkerWithoutKey(symptom: Exchange[]): Check[] {
  const ranOn = symptom.find((e) => e.label.endsWith(RAN_ON))?.response?.body ?? '';
  const sent = reachedApi(symptom)[0]?.request.headers.find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  return [
    check('a queue worker ran the execution', /: n8n-worker-\d+$/.test(ranOn), ranOn || 'not recorded'),
    check(
      `the worker sent the API no key (its ${ENV_NAME} is not set)`,
      sent !== undefined && NO_KEY.test(sent),
      sent === undefined ? 'no request reached the API' : `Authorization: ${JSON.stringify(sent)}`,
    ),
  ];
}

export const queueWorkerLacksVariable = defineScenario<EnvCallState>({
  id: 'env-access.queue-worker-lacks-variable',
  title: `in queue mode a worker resolves the credential: {{ $env.${ENV_NAME} }} set on the main n8n only sends no key, and the API answers 401`,
  guide: {
    section: NOT_IN_GUIDE,
    claim: `in queue mode the workers run production executions and resolve their credentials: a variable read with $env must be set on every worker, not only on the main n8n`,
    fix: `set ${ENV_NAME} on every worker as well and restart them`,
  },
  predicts: { outcome: 'rejected' },
  stack: QUEUE_TWO_WORKERS,
  fault: async (ctx) => {
    const token = apiToken(ctx);
    ctx.progress(`restarting n8n's main with ${ENV_NAME} (its workers without it)`);
    await ctx.stack.replacePrimary({ env: { [ENV_NAME]: token } });
    const state = await deployEnvCall(ctx);
    const main = await envProof(ctx.n8n.container, 'the main n8n', token, true);
    const workers = await Promise.all(ctx.stack.workers.map((w) => envProof(w, w.settings.alias ?? 'a worker', token, false)));
    return { proof: [main, ...workers], state };
  },
  symptom: (ctx, state) => runInQueue(ctx, state, `$env.${ENV_NAME} set on the main only`),
  proveFromRequest: ranOnWorkerWithoutKey,
  remedies: [
    { ...keyInCredential(), probe: (ctx, state) => runInQueue(ctx, state, 'the key stored in the credential') },
    {
      name: `set ${ENV_NAME} on every worker as well and restart them`,
      source: 'guide',
      apply: async (ctx, state) => {
        const stored = await storeInCredential(ctx, state, FROM_ENV);
        const token = apiToken(ctx);
        ctx.progress(`restarting ${ctx.stack.workers.length} worker(s) with ${ENV_NAME}`);
        const workers = ctx.stack.workers;
        await Promise.all(workers.map(async (w, i) => (workers[i] = await w.replace({ env: { [ENV_NAME]: token } }))));
        await waitForWebhook(ctx, state.workflow);
        return [...stored, ...(await Promise.all(workers.map((w) => envProof(w, w.settings.alias ?? 'a worker', token, true))))];
      },
      probe: (ctx, state) => runInQueue(ctx, state, `$env.${ENV_NAME} set on the main and every worker`),
    },
  ],
  doctor: { names: 'workflow-call-rejected' },
});
