import { availableParallelism } from 'node:os';
import { workerSingleton } from './worker-singleton.ts';

/**
 * How many heavy things run at once in the test worker: the catalogue engine's stack groups and
 * the heavy files' tests (each a stack, a lab or a compose project) share them. AUTHLAB_CONCURRENCY,
 * else one per core and one more, which waits on n8n or Docker while the others use the cores
 * (measured against 2 and 4: docs/performance.md).
 */
export function suiteSlots(): number {
  const asked = Number(process.env.AUTHLAB_CONCURRENCY);
  return Number.isInteger(asked) && asked >= 1 ? asked : Math.max(2, availableParallelism() + 1);
}

/**
 * At most `n` of the returned function's tasks run at once, started in the order they asked: a
 * freed slot goes straight to the longest waiting task, so a task that asks again at once (the
 * engine's next group) queues behind the others instead of taking it back.
 */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let free = n;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (free > 0) free--;
    else await new Promise<void>((r) => waiting.push(r));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/**
 * The one limiter of the worker: the heavy files share it (one module instance, as the worker
 * does not isolate its files) with the catalogue engine's groups, so stacks at once stay at
 * suiteSlots() whichever they come from, and the engine takes every slot the files leave.
 */
export const slot: <T>(task: () => Promise<T>) => Promise<T> = workerSingleton('slots', () => limiter(suiteSlots()));

/**
 * A concurrent test's timeout when it may wait for `tests`' worth of slots before its own (each
 * test given `each`), and for a round of the engine's groups besides (its longest about 10 minutes).
 */
export function queuedTimeout(tests: number, each = 10 * 60_000): number {
  return (Math.ceil(tests / suiteSlots()) + 2) * each;
}

/**
 * `slot` for a test's body: a body whose test timed out (or was cancelled) while it waited for its
 * slot is not started, so that nothing starts after the test's cleanup has run (a lab started then
 * outlived its suite).
 */
export function testSlot<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
  return slot(() => (signal.aborted ? Promise.reject(new Error('not started: the test ended while it waited for a slot')) : task()));
}
