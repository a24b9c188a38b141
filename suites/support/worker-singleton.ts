/**
 * One value per test worker, kept on globalThis: a module registry reset (vi.resetModules in some
 * file) makes the worker import its user again (the slots, the engine, the guide results), and a second one must not start.
 */
export function workerSingleton<T>(name: string, make: () => T): T {
  const shared = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`authlab.test-worker.${name}`);
  shared[key] ??= make();
  return shared[key];
}
