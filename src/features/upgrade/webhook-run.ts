import type { Exchange } from '../../parts/client/exchange.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { runWebhookWorkflow, type WebhookWorkflow } from '../../core/workflows.ts';

const PUBLISHED_WAIT_MS = 30_000;

/** A run of the workflow by its production webhook after a start, and the 404s it answered first. */
export interface WebhookRun {
  /** The webhook's 404s before it reached the workflow (n8n 2.x: "Published version not found" while its publication outbox catches up). */
  early: Exchange[];
  /** The run that counts: the webhook's answer, what the mock API got, the execution read back. */
  run: Exchange[];
  /** How long the webhook answered 404 before it reached the workflow. */
  waitedSeconds: number;
  /** The newest execution before the run: the run's own must be another. */
  executionBefore: string | undefined;
}

/**
 * Runs the workflow by its production webhook, calling again (at most 30 s) while it answers 404:
 * n8n started over the same data may know the path before it has loaded the published version.
 * A 404 never starts the workflow, so calling again runs it once; the 404s are kept as evidence.
 */
export async function runWhenPublished(ctx: ScenarioContext, workflow: WebhookWorkflow, label: string): Promise<WebhookRun> {
  const executionBefore = await newestExecution(ctx, workflow);
  const started = Date.now();
  const early: Exchange[] = [];
  for (;;) {
    const run = await runWebhookWorkflow(ctx, workflow, label, 'bearer-api');
    const answered = run[0]?.response?.status;
    if (answered !== 404 || Date.now() - started > PUBLISHED_WAIT_MS) {
      return { early, run, waitedSeconds: Math.round((Date.now() - started) / 100) / 10, executionBefore };
    }
    early.push(run[0]!);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The id of the workflow's newest execution, read once (recentExecutions waits for one to exist: the first step has none). */
async function newestExecution(ctx: ScenarioContext, workflow: WebhookWorkflow): Promise<string | undefined> {
  const answer = await ctx.n8n.client.publicApi('GET', `/executions?workflowId=${workflow.id}&limit=1`, ctx.n8n.apiKey.rawApiKey);
  const id = (answer.json as { data?: Array<{ id: string | number }> } | undefined)?.data?.[0]?.id;
  return id === undefined ? undefined : String(id);
}
