import type { ScenarioContext } from '../../core/types.ts';
import { replacementFor, type StartedN8nContainer } from '../../parts/stack/n8n-container.ts';
import { containerName } from './lab-workspace.ts';

/**
 * Where a lab's fault stops n8n (it refuses to start), the stack keeps no container of it: the
 * failed one is removed. A learner of compose would find it stopped, with its log and its data
 * folder (`docker logs`, `docker cp`): this starts n8n once more with the settings that failed and
 * keeps the container once it has exited. Its labels are the lab's run's, so `--down` removes it.
 */
export class StoppedN8n {
  private container: StartedN8nContainer | undefined;

  /** After anything that (re)started n8n: a stopped container of the failed settings while n8n is down, none once it runs. */
  async follow(ctx: ScenarioContext): Promise<void> {
    await this.remove();
    const failure = ctx.stack.primaryFailure;
    if (!failure) return;
    this.container = await replacementFor(failure.settings, {})
      .expectingExit()
      .start()
      .catch(() => undefined);
  }

  /** The stopped container's name, while n8n is down and it could be kept. */
  get name(): string | undefined {
    return this.container ? containerName(this.container) : undefined;
  }

  async remove(): Promise<void> {
    const container = this.container;
    this.container = undefined;
    await container?.stop({ remove: true }).catch(() => undefined);
  }
}
