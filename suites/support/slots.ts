import { availableParallelism } from 'node:os';

/**
 * How many heavy tests (each a stack, a lab or a compose project) run at once in the test
 * worker, next to the catalogue engine's own stacks: AUTHLAB_CONCURRENCY, else one per core and
 * one more, which waits on n8n or Docker while the others use the cores.
 */
export function suiteSlots(): number {
  const asked = Number(process.env.AUTHLAB_CONCURRENCY);
  return Number.isInteger(asked) && asked >= 1 ? asked : Math.max(2, availableParallelism() + 1);
}

/** At most `n` of the returned function's tasks run at once. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    while (running >= n) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * The one limiter of the worker: the heavy files share it (one module instance, as the worker
 * does not isolate its files), so stacks at once stay at suiteSlots() whichever file they come from.
 */
export const slot = limiter(suiteSlots());

/** A concurrent test's timeout when it may wait for `tests`' worth of slots before its own (each test given `each`). */
export function queuedTimeout(tests: number, each = 10 * 60_000): number {
  return (Math.ceil(tests / suiteSlots()) + 1) * each;
}
