import { tmpdir } from 'node:os';
import { answerOf, judgedOf } from '../../parts/client/exchange.ts';
import { deployCodeNode, runCodeNode } from '../../families/runners/support.ts';
import type { ScenarioContext } from '../../core/types.ts';
import type { StartedAuthStack } from '../../parts/stack/auth-stack.ts';

/** Whether a Code node's execution finished successfully on the stack's n8n and runner, with what n8n showed. */
export interface CodeNodeRun {
  ran: boolean;
  evidence: string;
}

/**
 * The runners family's Code node workflow (a webhook, then JavaScript) deployed on the reproduced
 * n8n and started once: it succeeds only when a runner took its task.
 */
export async function codeNodeOn(stack: StartedAuthStack, progress: (line: string) => void): Promise<CodeNodeRun> {
  const ctx: ScenarioContext = { version: stack.version, stack, n8n: stack.primary, startedAt: new Date(), workdir: tmpdir(), progress, screenshots: [] };
  progress('running a Code node on the reproduced n8n and its runner');
  const execution = judgedOf(await runCodeNode(ctx, await deployCodeNode(ctx), 'a Code node')).at(-1);
  return {
    ran: execution?.outcome === 'accepted',
    evidence: execution ? `${execution.label}: ${answerOf(execution).slice(0, 240)}` : 'a Code node: no execution recorded',
  };
}
