import { judgedOf } from '../../parts/client/exchange.ts';
import { defineScenario } from '../../core/define.ts';
import { defineFamily } from '../../core/family.ts';
import { judgeByOutcome } from '../../core/judgement.ts';
import type { Judgement, Observation, Prediction } from '../../core/types.ts';
import type { WebhookWorkflow } from '../../core/workflows.ts';
import {
  brokerExchanges,
  RUNNER_SAID,
  executionAgain,
  messageOf,
  unfinishedId,
  LAUNCHER_NOTE,
  deployCodeNode,
  runCodeNode,
  runnerOnN8nToken,
  runnerOnOtherToken,
  RUNNERS_STACK,
  type RunnerState,
} from './support.ts';

const SAME_TOKEN_FIX = "give the runner (its launcher) n8n's N8N_RUNNERS_AUTH_TOKEN";

/** The runner, the Code node's workflow, and the execution the symptom left waiting (n8n 1.x), if any. */
type CodeNodeState = RunnerState & { workflow: WebhookWorkflow; waiting?: string };

/**
 * n8n's message is the claim: the default checker, with an execution that never finished named as
 * such (n8n 1.x has no task request timeout: the task waits for a runner).
 */
function judgeCodeNode(obs: Observation, predicts: Prediction): Judgement {
  const judgement = judgeByOutcome(obs, predicts);
  const unfinished = judgedOf(obs.symptom).find((e) => /not finished after/.test(e.label));
  if (!unfinished) return judgement;
  const { status } = JSON.parse(unfinished.response?.body ?? '{}') as { status?: string };
  const waited = /not finished after (\d+ s)/.exec(unfinished.label)?.[1] ?? '';
  return { ...judgement, answered: `the execution does not finish (still "${status ?? 'unlisted'}" after ${waited}): no error, the task waits for a runner` };
}

/** n8n's lines about a runner's auth, read without their metadata (which names files like task-broker-ws-server.js). */
const ABOUT_EXCHANGE = /runners\/auth|grant|token|forbidden|unauthori[sz]ed|broker/i;

/** The default checker, and whether n8n itself logged anything about the refused exchange (the runner's own lines are marked). */
function judgeBroker(obs: Observation, predicts: Prediction): Judgement {
  const judgement = judgeByOutcome(obs, predicts);
  const n8nSaid = judgedOf(obs.symptom)
    .flatMap((e) => e.n8nLog ?? [])
    .filter((l) => !l.startsWith(RUNNER_SAID));
  const about = n8nSaid.filter((l) => ABOUT_EXCHANGE.test(messageOf(l)));
  const logged = about.length
    ? `n8n logged meanwhile: ${about[0]!.slice(0, 160)}`
    : `n8n logged nothing about the refused exchange (log level debug; ${n8nSaid.length} other line(s) meanwhile)`;
  return { ...judgement, reasons: [...judgement.reasons, logged] };
}

const codeNodeTimesOut = defineScenario<CodeNodeState>({
  id: 'runners.code-node-token-mismatch',
  title: "a Code node whose task runner has another N8N_RUNNERS_AUTH_TOKEN than n8n fails with n8n's 'Task request timed out'",
  guide: {
    section: 'not in the guide',
    claim:
      'n8n\'s message: the Code node\'s "Task request timed out": the task was not matched to a runner, which "is currently down, or not ready, or at capacity" (nothing about its token)',
    fix: SAME_TOKEN_FIX,
  },
  predicts: { outcome: 'other', says: 'Task request timed out' },
  stack: RUNNERS_STACK,
  fault: async (ctx) => {
    const { proof, state } = await runnerOnOtherToken(ctx);
    return { proof, state: { ...state, workflow: await deployCodeNode(ctx) } };
  },
  symptom: async (ctx, state) => {
    const run = await runCodeNode(ctx, state.workflow, 'runner on another token');
    state.waiting = unfinishedId(run);
    return [...run, ...brokerExchanges(ctx, state, 'runner on another token', true)];
  },
  judge: judgeCodeNode,
  remedies: [
    {
      name: SAME_TOKEN_FIX,
      source: 'guide',
      apply: runnerOnN8nToken,
      probe: async (ctx, state) => [
        ...(await runCodeNode(ctx, state.workflow, 'runner on the same token')),
        // n8n 1.x held the first task: does the runner take it once it connects?
        ...(state.waiting
          ? [await executionAgain(ctx, state.workflow.id, state.waiting, `the execution that waited (${state.waiting}), read again after the fix`)]
          : []),
      ],
    },
  ],
  // The doctor reads finished executions: n8n 2.x's timeout names the mode; n8n 1.x's task waits, and
  // an execution that never finishes says nothing yet.
  doctor: {
    names: {
      among: ['code-task-no-runner', 'healthy'],
      decide: (symptom) =>
        /Task request timed out/.test(
          judgedOf(symptom)
            .map((e) => e.response?.body ?? '')
            .join('\n'),
        )
          ? 'code-task-no-runner'
          : 'healthy',
    },
  },
});

const brokerRefuses = defineScenario<RunnerState>({
  id: 'runners.broker-refuses-auth-token',
  title: "n8n's task broker refuses a runner's launcher with another N8N_RUNNERS_AUTH_TOKEN",
  guide: {
    section: 'not in the guide',
    claim: 'a task runner with a wrong N8N_RUNNERS_AUTH_TOKEN is refused with 401 Unauthorized, like any wrong credential',
    fix: SAME_TOKEN_FIX,
  },
  predicts: { outcome: 'rejected' },
  stack: RUNNERS_STACK,
  fault: runnerOnOtherToken,
  symptom: async (ctx, state) => brokerExchanges(ctx, state, 'runner on another token'),
  judge: judgeBroker,
  remedies: [
    {
      name: SAME_TOKEN_FIX,
      source: 'guide',
      apply: runnerOnN8nToken,
      probe: async (ctx, state) => brokerExchanges(ctx, state, 'runner on the same token'),
    },
  ],
  doctorBlind: `the exchange is between the runner and n8n's task broker (port 5679, on the stack network), which the doctor does not reach. ${LAUNCHER_NOTE}`,
});

export const runnersFamily = defineFamily('runners', "Task runners in external mode: n8n's JS task runner on another auth token", [
  codeNodeTimesOut,
  brokerRefuses,
]);
