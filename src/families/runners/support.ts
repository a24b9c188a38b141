import { record, type Exchange } from '../../parts/client/exchange.ts';
import { required } from '../../core/define.ts';
import { check, n8nEnv } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { deployWebhookWorkflow, executionExchange, recentExecutions, triggerWebhook, type WebhookWorkflow } from '../../core/workflows.ts';
import { fingerprint } from '../../base/secrets.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import { newRunnerAuthToken, RUNNER_PACKAGE, RUNNER_REGISTERED, type StartedTaskRunnerContainer } from '../../parts/stack/task-runner-container.ts';

/** How long n8n 2.x waits for a runner to take a Code node's task (N8N_RUNNERS_TASK_REQUEST_TIMEOUT; 60 s by default). */
const TASK_REQUEST_TIMEOUT_S = 20;
/** How long a scenario waits for a Code node's execution to finish: n8n's own timeout and a margin. */
const EXECUTION_WAIT_MS = (TASK_REQUEST_TIMEOUT_S + 15) * 1000;
const REGISTRATION_WAIT_MS = 30_000;

/**
 * n8n with its task broker in external mode on the stack network and one JS task runner beside
 * it, both on one generated N8N_RUNNERS_AUTH_TOKEN; a Code node's task waits 20 s for a runner
 * (n8n 2.x; 1.x has no such timeout).
 */
export const RUNNERS_STACK: StackSpec = { name: 'runners', taskRunner: true, env: { N8N_RUNNERS_TASK_REQUEST_TIMEOUT: String(TASK_REQUEST_TIMEOUT_S) } };

/** What n8n logs about its broker, runners and tasks (its debug log holds every request besides). */
const RUNNER_LINE = /runner|task|broker|grant/i;
/** What n8n logs about runners connecting: not the tasks of a Code node. */
const BROKER_LINE = /runner|broker|grant/i;

/** Where the launcher cannot be had, every result says how the runner was started instead. */
export const LAUNCHER_NOTE =
  "the runner is n8n's own @n8n/task-runner from the n8n image; n8n's task-runner-launcher (a Go binary from GitHub releases) cannot be had here, so its token exchange (POST /runners/auth, then N8N_RUNNERS_GRANT_TOKEN) is made as the launcher makes it (containers/task-runner/launch.cjs)";

/** The scenario's runner and the mark in its log where it started. */
export interface RunnerState {
  runner: StartedTaskRunnerContainer;
  /** n8n's log when the runner was started. */
  n8nMark: number;
}

function stackRunner(ctx: ScenarioContext): StartedTaskRunnerContainer {
  return required(ctx.stack.services.taskRunner, `stack ${ctx.stack.spec.name}'s task runner`);
}

/** Replaces the stack's runner with one on `authToken` (the stack keeps whichever runs, to stop it). */
export async function runnerOn(ctx: ScenarioContext, authToken: string, which: string): Promise<RunnerState> {
  const n8nMark = ctx.n8n.container.logLines.mark();
  const old = stackRunner(ctx);
  ctx.progress(`starting the task runner on ${which}`);
  ctx.stack.services.taskRunner = undefined;
  ctx.stack.services.taskRunner = await old.replace(authToken);
  return { runner: ctx.stack.services.taskRunner, n8nMark };
}

/** n8n's own N8N_RUNNERS_AUTH_TOKEN, as its container has it. */
const n8nToken = (ctx: ScenarioContext) => n8nEnv(ctx, 'N8N_RUNNERS_AUTH_TOKEN');

/** The fault both scenarios share: the runner restarted on a token of its own, proven from both containers' env and n8n's broker line. */
export async function runnerOnOtherToken(ctx: ScenarioContext): Promise<{ proof: Check[]; state: RunnerState }> {
  const state = await runnerOn(ctx, newRunnerAuthToken(), 'an N8N_RUNNERS_AUTH_TOKEN of its own');
  const ours = await n8nToken(ctx);
  const theirs = (await state.runner.exec(['sh', '-c', 'printenv N8N_RUNNERS_AUTH_TOKEN || true'])).output.trim();
  const broker = ctx.n8n.container.logLines.all().find((l) => /Task Broker ready on/.test(l));
  const runnerPackage = await state.runner.exec(['node', '-p', `require('${RUNNER_PACKAGE}/package.json').version`]);
  return {
    proof: [
      check(
        'n8n runs its task broker in external mode, listening on the stack network',
        broker !== undefined && /0\.0\.0\.0/.test(broker),
        broker ?? 'no broker line',
      ),
      check(
        "the runner's N8N_RUNNERS_AUTH_TOKEN differs from n8n's",
        ours !== '' && theirs !== '' && ours !== theirs,
        `n8n ${fingerprint(ours)}, runner ${fingerprint(theirs)}`,
      ),
      check(
        "the runner is n8n's JS task runner, started as its launcher starts it",
        runnerPackage.exitCode === 0,
        `@n8n/task-runner ${runnerPackage.output.trim()}; ${LAUNCHER_NOTE}`,
      ),
    ],
    state,
  };
}

/** Back on n8n's token: the fix both scenarios verify. */
export async function runnerOnN8nToken(ctx: ScenarioContext, state: RunnerState): Promise<Check[]> {
  Object.assign(state, await runnerOn(ctx, await n8nToken(ctx), "n8n's N8N_RUNNERS_AUTH_TOKEN"));
  const registered = await ctx.n8n.container.logLines.waitFor(RUNNER_REGISTERED, state.n8nMark, REGISTRATION_WAIT_MS);
  return [
    check("n8n's broker registered the runner", registered !== undefined, registered ?? `no "Registered runner" line within ${REGISTRATION_WAIT_MS / 1000} s`),
  ];
}

/** What n8n logged since `mark` whose message (not its trailing metadata, which names files like workflow-runner.js) matches `about`. */
const n8nLinesSince = (ctx: ScenarioContext, mark: number, about: RegExp): string[] =>
  ctx.n8n.container.logLines.since(mark).filter((l) => about.test(messageOf(l)));

/** An n8n log line without its trailing JSON metadata. */
export const messageOf = (line: string): string => line.replace(/\s\{".*$/, '');

/** How the runner container's own lines are marked among n8n's. */
export const RUNNER_SAID = '[runner container] ';

/** The launcher's token exchanges since the runner started, as the broker answered them, with what n8n logged meanwhile. */
export function brokerExchanges(ctx: ScenarioContext, { runner, n8nMark }: RunnerState, label: string, context = false): Exchange[] {
  // Judged, the exchanges are all that ran since the mark: every line n8n logged is shown. Shown
  // beside a Code node's run, only what n8n logged about runners.
  const n8nLog = n8nLinesSince(ctx, n8nMark, context ? BROKER_LINE : /./);
  return runner.brokerExchanges().map((e, i) =>
    record({
      label: `${label}: the launcher's token exchange ${i + 1} (POST /runners/auth), made from the runner container`,
      via: 'node-process',
      request: { method: e.method, url: e.url, headers: [['content-type', 'application/json']] },
      ...(e.status !== undefined ? { response: { status: e.status, body: e.body ?? '' } } : { error: e.error ?? 'no answer' }),
      // What n8n logged meanwhile, once: the exchanges run in the runner container, side by side with it.
      ...(i === 0 ? { n8nLog: [...n8nLog, ...runner.said().map((l) => `${RUNNER_SAID}${l}`)] } : {}),
      ...(context ? { context: true as const } : {}),
    }),
  );
}

/** Deploys the Code node workflow (a webhook that answers at once, then a JavaScript Code node). */
export const deployCodeNode = (ctx: ScenarioContext): Promise<WebhookWorkflow> => deployWebhookWorkflow(ctx, 'code-node', {});

interface ListedExecution {
  id: string | number;
  status?: string;
  startedAt?: string;
  stoppedAt?: string | null;
}

/** The workflow's executions through n8n's REST API (the editor's list, which shows running ones too), newest first. */
async function listExecutions(ctx: ScenarioContext, workflowId: string): Promise<{ status: number; text: string; list: ListedExecution[] }> {
  const filter = encodeURIComponent(JSON.stringify({ workflowId }));
  const answer = await ctx.n8n.client.call('GET', `/rest/executions?filter=${filter}&limit=10`);
  const list = (answer.json as { data?: { results?: ListedExecution[] } } | undefined)?.data?.results ?? [];
  return { status: answer.status, text: answer.text, list: list.sort((a, b) => Number(b.id) - Number(a.id)) };
}

const finished = (e: ListedExecution | undefined) =>
  e !== undefined && !['new', 'running', 'waiting', 'unknown'].includes(e.status ?? 'running') && !!e.stoppedAt;

/**
 * Starts the Code node workflow by its webhook and reads back the execution it started: through
 * the public API once it finished, or, when it has not within the wait, as the editor's list shows it.
 */
export async function runCodeNode(ctx: ScenarioContext, workflow: WebhookWorkflow, label: string): Promise<Exchange[]> {
  const before = Number((await listExecutions(ctx, workflow.id)).list[0]?.id ?? 0);
  const mark = ctx.n8n.container.logLines.mark();
  const started = Date.now();
  const trigger = await triggerWebhook(ctx, workflow, label);
  let listed = await listExecutions(ctx, workflow.id);
  const ours = () => listed.list.find((e) => Number(e.id) > before);
  while (!finished(ours()) && Date.now() - started < EXECUTION_WAIT_MS) {
    await new Promise((r) => setTimeout(r, 500));
    listed = await listExecutions(ctx, workflow.id);
  }
  const waited = `${Math.round((Date.now() - started) / 1000)} s`;
  const n8nLog = n8nLinesSince(ctx, mark, RUNNER_LINE);
  const execution = ours();
  if (finished(execution)) {
    const { path, status, text, executions } = await recentExecutions(ctx, workflow.id, 1);
    const saved = executions.find((e) => e.id === String(execution!.id));
    return [
      trigger,
      { ...executionExchange(ctx, `${label}: the execution, finished after ${waited}, read back through the public API`, path, status, saved, text), n8nLog },
    ];
  }
  return [
    trigger,
    listedExchange(ctx, workflow.id, `${label}: the execution, not finished after ${waited}, as n8n's execution list shows it`, listed, execution, { n8nLog }),
  ];
}

/** An execution as the editor's list shows it (running ones too): accepted once it succeeded, else `other`. */
function listedExchange(
  ctx: ScenarioContext,
  workflowId: string,
  label: string,
  listed: { status: number; text: string },
  execution: ListedExecution | undefined,
  extra: Pick<Exchange, 'n8nLog' | 'context'>,
): Exchange {
  const shown = execution
    ? { id: String(execution.id), status: execution.status ?? 'unknown', startedAt: execution.startedAt, stoppedAt: execution.stoppedAt ?? null }
    : { none: listed.text.slice(0, 300) };
  return record({
    label,
    via: 'client',
    request: { method: 'GET', url: executionListUrl(ctx, workflowId), headers: [] },
    response: { status: listed.status, body: JSON.stringify(shown) },
    outcome: finished(execution) && execution?.status === 'success' ? 'accepted' : 'other',
    ...extra,
  });
}

const executionListUrl = (ctx: ScenarioContext, workflowId: string) =>
  `${ctx.n8n.container.getBaseUrl()}/rest/executions?filter={"workflowId":"${workflowId}"}`;

/** The id of an execution a run left unfinished (n8n 1.x holds a task until a runner takes it). */
export function unfinishedId(run: Exchange[]): string | undefined {
  const left = run.find((e) => /not finished after/.test(e.label));
  return left ? (JSON.parse(left.response?.body ?? '{}') as { id?: string }).id : undefined;
}

/** An execution read again (after a fix): shown, not judged. */
export async function executionAgain(ctx: ScenarioContext, workflowId: string, id: string, label: string): Promise<Exchange> {
  const listed = await listExecutions(ctx, workflowId);
  const execution = listed.list.find((e) => String(e.id) === id);
  return listedExchange(ctx, workflowId, label, listed, execution, { context: true });
}
