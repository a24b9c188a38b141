import { externalRunnersEnv, TaskRunnerContainer, type StartedTaskRunnerContainer } from '../task-runner-container.ts';
import { removeContainer, type StackService } from './stack-service.ts';

/** The auth token n8n's broker and the runner share: one per stack. */
const AUTH_TOKEN = 'runner-auth-token';

/**
 * n8n's JS task runner in external mode, started once n8n's broker listens; the broker must know
 * the runner's auth token before n8n starts, so both read it from the stack's secrets. A scenario
 * may replace `stack.services.taskRunner` (another token): the stack stops whichever it holds.
 */
export const taskRunnerService: StackService<StartedTaskRunnerContainer> = {
  describe: () => 'the task runner (external mode)',
  neededBy: (spec) => spec.taskRunner === true,
  images: () => [], // the runner is the @n8n/task-runner inside the n8n image
  startsAfterN8n: true,
  n8nEnv: (ctx) => externalRunnersEnv(ctx.secret(AUTH_TOKEN)),
  start: (ctx) =>
    new TaskRunnerContainer({
      image: ctx.opts.image,
      authToken: ctx.secret(AUTH_TOKEN),
      network: ctx.network,
      brokerHost: ctx.primaryAlias,
      stack: ctx.spec.name,
    }).start(),
  stop: removeContainer,
};
