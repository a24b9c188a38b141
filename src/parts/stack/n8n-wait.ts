import type Dockerode from 'dockerode';
import type { WaitStrategy } from 'testcontainers';

type BoundPorts = Parameters<WaitStrategy['waitUntilReady']>[1];

/** How a container that did not start ended, read before testcontainers removes it. */
export interface ContainerExit {
  status: string;
  exitCode: number;
}

/** The startup timeout every wait strategy of its own here keeps. */
abstract class TimedWait implements WaitStrategy {
  protected startupTimeoutMs = 60_000;
  private startupTimeoutSet = false;

  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    this.startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }

  abstract waitUntilReady(container: Dockerode.Container, boundPorts: BoundPorts, startTime?: Date): Promise<void>;
}

/**
 * Waits for each strategy in turn, all within one startup timeout.
 *
 * testcontainers' `Wait.forAll` runs its strategies side by side and, when one fails, leaves the
 * others running: when n8n exits during start (it refuses a mismatched encryption key), the log
 * wait fails at once (its stream ended) but the HTTP wait keeps polling with a 1 s retry timer
 * until its own timeout, minutes later, and that timer kept a finished command's process alive.
 * In turn, a strategy only starts once the one before it succeeded, so a failure leaves nothing
 * waiting.
 */
export class InOrderWait extends TimedWait {
  private readonly steps: WaitStrategy[];

  constructor(steps: WaitStrategy[]) {
    super();
    this.steps = steps;
  }

  async waitUntilReady(container: Dockerode.Container, boundPorts: BoundPorts, startTime?: Date): Promise<void> {
    const deadline = Date.now() + this.startupTimeoutMs;
    for (const step of this.steps) {
      step.withStartupTimeout(Math.max(1, deadline - Date.now()));
      await step.waitUntilReady(container, boundPorts, startTime);
    }
  }
}

/** Wraps a wait strategy to read the container's state when waiting fails (n8n exited, and how). */
export class ExitRecordingWait implements WaitStrategy {
  exit: ContainerExit | undefined;
  private readonly inner: WaitStrategy;

  constructor(inner: WaitStrategy) {
    this.inner = inner;
  }

  withStartupTimeout(ms: number): this {
    this.inner.withStartupTimeout(ms);
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.inner.isStartupTimeoutSet();
  }

  getStartupTimeout(): number {
    return this.inner.getStartupTimeout();
  }

  async waitUntilReady(container: Dockerode.Container, boundPorts: BoundPorts, startTime?: Date): Promise<void> {
    try {
      await this.inner.waitUntilReady(container, boundPorts, startTime);
    } catch (err) {
      const state = await container
        .inspect()
        .then((i) => i.State)
        .catch(() => undefined);
      if (state && !state.Running) this.exit = { status: state.Status, exitCode: state.ExitCode };
      throw err;
    }
  }
}

/**
 * Ready once the container has exited, whatever its code: for an n8n that a fault stops, started
 * again to leave a stopped container behind (its log and data for `docker logs` and `docker cp`),
 * as `docker compose up` does.
 */
export class UntilExitWait extends TimedWait {
  async waitUntilReady(container: Dockerode.Container): Promise<void> {
    const deadline = Date.now() + this.startupTimeoutMs;
    while ((await container.inspect()).State.Running) {
      if (Date.now() > deadline) throw new Error(`the container still runs after ${this.startupTimeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
