import { availableParallelism, totalmem } from 'node:os';
import type { N8nImage } from '../parts/images/n8n-image.ts';
import { resolveLayerImage } from '../parts/images/layer-image.ts';
import { ImageUnavailableError, resolveServiceImage } from '../parts/images/service-images.ts';
import type { ImageOptions } from '../parts/images/options.ts';
import { n8nBootCount } from '../parts/stack/n8n-container.ts';
import { assertPublishedPortsReachable } from '../parts/stack/port-check.ts';
import { engineAnswers, EngineGoneError, watchEngine } from '../docker/docker.ts';
import { costliestFirst, restoreLastOrder } from './plan-order.ts';
import { resultOf, runScenario, type Unjudged } from './runner.ts';
import { StackPool, type StackPoolOptions } from './stack-pool.ts';
import type { AnyScenario, ScenarioResult } from '../core/types.ts';

export interface CatalogueRun {
  versions: string[];
  images: Record<string, string>;
  results: ScenarioResult[];
  boots: number;
  /** Each distinct stack booted, with its time to ready (the run's fixed cost). */
  stacks?: Array<{ key: string; ms: number }>;
  startedAt: string;
  finishedAt: string;
}

export interface CatalogueOptions {
  /** The versions to run on, each with its image, resolved by the caller (`resolveN8nImages`). */
  n8n: readonly N8nImage[];
  scenarios: AnyScenario[];
  /** How the layer and service images are had (the n8n images come with `n8n`). */
  images: ImageOptions;
  progress: (line: string) => void;
  onResult?: (result: ScenarioResult) => void;
  /** Stacks run side by side (default 1). */
  concurrency?: number;
  /** A stack group's estimated seconds: the costliest groups then start first. Default: in plan order. */
  groupCost?: (group: PlannedGroup) => number;
  /** A slot shared with other work that each stack group holds while it runs (the test run's slots; see runGroups). */
  slot?: Slot;
  /** Only these runs, in this order (the test suites' `-t`); default: every scenario on every version. */
  runs?: Array<{ version: string; scenario: AnyScenario }>;
  /**
   * Layer and service images had beforehand (the test suites' global setup, which also checked the
   * published ports); default: each had on first use, the ports checked first.
   */
  prepared?: Pick<StackPoolOptions, 'layerImage' | 'serviceImage'>;
}

/** One stack's work: a version and the scenarios that share its stack, in the order they run on it. */
export interface PlannedGroup {
  version: string;
  group: AnyScenario[];
}

/**
 * Groups scenario runs by the stack they need, so each distinct stack boots once per version; a
 * stack is stopped as soon as its last scenario is done, to keep memory flat. The groups come in
 * the order of their first wanted run, and each group's scenarios in the order they are wanted,
 * except that those known to leave n8n changed run last (no restore of n8n follows them).
 */
export function planQueue(wanted: Array<{ version: string; scenario: AnyScenario }>): PlannedGroup[] {
  const groups = new Map<string, PlannedGroup>();
  for (const { version, scenario } of wanted) {
    const key = StackPool.keyOf(version, scenario);
    const planned = groups.get(key) ?? { version, group: [] };
    planned.group.push(scenario);
    groups.set(key, planned);
  }
  return [...groups.values()].map(({ version, group }) => ({ version, group: restoreLastOrder(group) }));
}

/** The groups of one version's scenarios, in catalogue order. */
export function planGroups(version: string, scenarios: AnyScenario[]): AnyScenario[][] {
  return planQueue(scenarios.map((scenario) => ({ version, scenario }))).map((p) => p.group);
}

/** A stack pool on the given n8n images that pulls or builds every layer and service image it needs on first use (cached by tag). */
export function resolvingStackPool(
  n8n: readonly N8nImage[],
  images: ImageOptions,
  progress: (line: string) => void,
  more: Pick<StackPoolOptions, 'proxyHostPorts'> = {},
): StackPool {
  return new StackPool({
    ...more,
    n8n,
    serviceImage: (kind) => resolveServiceImage(kind, images),
    layerImage: (layer, image) => resolveLayerImage(layer, image, images),
    progress,
  });
}

/** How many stacks run side by side by default: one per core, and no more than the memory holds (about 3 GiB a stack, with room to spare). */
export function defaultConcurrency(): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(totalmem() / 2 ** 30 / 3), 4));
}

/**
 * Runs the selected scenarios on each version's image (resolved by the caller), the groups up to
 * `concurrency` stacks at a time; the scenarios of one group run one after another on its stack.
 * Results come back in catalogue order.
 */
export async function runCatalogue(opts: CatalogueOptions): Promise<CatalogueRun> {
  const startedAt = new Date().toISOString();
  const bootsBefore = n8nBootCount();
  const versions = opts.n8n.map((n) => n.version);
  const results: ScenarioResult[] = [];
  const pool = opts.prepared
    ? new StackPool({ n8n: opts.n8n, ...opts.prepared, progress: opts.progress })
    : resolvingStackPool(opts.n8n, opts.images, opts.progress);
  try {
    if (opts.n8n[0] && !opts.prepared) await assertPublishedPortsReachable(opts.n8n[0].image);
    const planned = planQueue(opts.runs ?? versions.flatMap((version) => opts.scenarios.map((scenario) => ({ version, scenario }))));
    const queue = opts.groupCost ? costliestFirst(planned, opts.groupCost) : planned;
    await runGroups(pool, queue, {
      concurrency: opts.concurrency ?? 1,
      ...(opts.slot ? { slot: opts.slot } : {}),
      progress: opts.progress,
      onResult: (result) => {
        results.push(result);
        opts.onResult?.(result);
      },
    });
  } catch (err) {
    // With the engine gone nothing can be stopped: say so at once rather than wait on it.
    if (err instanceof EngineGoneError) throw err;
    await pool.stopAll();
    throw err;
  }
  await pool.stopAll();
  const rank = (r: ScenarioResult) => versions.indexOf(r.version) * opts.scenarios.length + opts.scenarios.findIndex((s) => s.id === r.id);
  results.sort((a, b) => rank(a) - rank(b));
  return {
    versions,
    images: Object.fromEntries(opts.n8n.map((n) => [n.version, n.image])),
    results,
    boots: n8nBootCount() - bootsBefore,
    stacks: pool.booted,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

/** Runs a task when a slot shared with other work is free, and frees it when the task ends. */
export type Slot = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Runs the queue's groups, up to `concurrency` stacks at a time, each taking the next group when
 * its last is done; the scenarios of one group run one after another on its stack, and each
 * result is handed to `onResult` as it comes. With a `slot`, each group also holds one of a pool
 * shared with other work from its stack's start to its stop, and frees it before the next group,
 * so that other work gets its turn. A scenario whose stack cannot start gets a result saying so;
 * only the Docker engine going away ends the run early (EngineGoneError).
 */
export async function runGroups(
  pool: StackPool,
  queue: PlannedGroup[],
  opts: { concurrency: number; slot?: Slot; progress: (line: string) => void; onResult: (result: ScenarioResult) => void },
): Promise<void> {
  const pending = [...queue];
  const slot: Slot = opts.slot ?? ((task) => task());
  const worker = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) await slot(() => runGroup(pool, next, opts));
  };
  const engine = watchEngine();
  try {
    await Promise.race([Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker)), engine.gone]);
  } finally {
    engine.stop();
  }
}

/** One group's scenarios on its stack, one after another; the stack is stopped after the last. */
async function runGroup(
  pool: StackPool,
  next: PlannedGroup,
  opts: { progress: (line: string) => void; onResult: (result: ScenarioResult) => void },
): Promise<void> {
  for (const [i, scenario] of next.group.entries()) {
    let result: ScenarioResult;
    try {
      const stack = await pool.acquire(next.version, scenario);
      result = await runScenario(scenario, stack, opts.progress);
    } catch (err) {
      if (!(await engineAnswers())) throw new EngineGoneError();
      result = stackFailure(scenario, next.version, err);
    }
    // The group's last scenario leaves its stack to be stopped: nothing to restore for.
    if (i < next.group.length - 1) await pool.handBack(next.version, scenario);
    opts.onResult(result);
  }
  await pool.release(next.version, next.group[0]!);
}

/** The result of a scenario whose stack could not start: not runnable (an image cannot be had here) or inconclusive. */
function stackFailure(scenario: AnyScenario, version: string, err: unknown): ScenarioResult {
  const message = err instanceof Error ? err.message : String(err);
  const observation = { faultProof: [], symptom: [], alongside: [], remedies: [] };
  const unjudged: Unjudged =
    err instanceof ImageUnavailableError
      ? { kind: 'not-runnable', reason: message, detail: `${message}; run it where a registry serves the image` }
      : { kind: 'inconclusive', why: 'its stack did not start', reason: message, detail: message.split('\n')[0], error: message };
  return resultOf(scenario, version, observation, { durationMs: 0, unjudged });
}
