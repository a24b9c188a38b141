import { availableParallelism, totalmem } from 'node:os';
import { resolveN8nImage } from '../images/n8n-image.ts';
import { assertServedN8nVersion } from '../images/n8n-versions.ts';
import { resolveLayerImage } from '../images/layer-image.ts';
import { ImageUnavailableError, resolveServiceImage } from '../images/service-images.ts';
import type { ImageOptions } from '../images/options.ts';
import { n8nBootCount } from '../stack/n8n-container.ts';
import { assertPublishedPortsReachable } from '../stack/port-check.ts';
import { engineAnswers, EngineGoneError, watchEngine } from '../stack/docker.ts';
import { runScenario } from './runner.ts';
import { StackPool, type StackPoolOptions } from './stack-pool.ts';
import type { AnyScenario, ScenarioResult } from './types.ts';

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
  versions: string[];
  scenarios: AnyScenario[];
  images: ImageOptions;
  progress: (line: string) => void;
  onResult?: (result: ScenarioResult) => void;
  /** Stacks run side by side (default 1). */
  concurrency?: number;
}

/**
 * Groups scenarios by the stack they need, so each distinct stack boots once per version; a
 * stack is stopped as soon as its last scenario is done, to keep memory flat.
 */
export function planGroups(version: string, scenarios: AnyScenario[]): AnyScenario[][] {
  const groups = new Map<string, AnyScenario[]>();
  for (const s of scenarios) {
    const key = StackPool.keyOf(version, s);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()];
}

/** A stack pool that pulls or builds every image it needs on first use (cached by tag). */
export function resolvingStackPool(images: ImageOptions, progress: (line: string) => void, more: Pick<StackPoolOptions, 'proxyHostPorts'> = {}): StackPool {
  return new StackPool({
    ...more,
    imageFor: (v) => resolveN8nImage(v, images),
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
 * Runs the selected scenarios on each version: images first (all versions checked before any
 * build, each built once), then the groups, up to `concurrency` stacks at a time; the scenarios of
 * one group run one after another on its stack. Results come back in catalogue order.
 */
export async function runCatalogue(opts: CatalogueOptions): Promise<CatalogueRun> {
  const startedAt = new Date().toISOString();
  const bootsBefore = n8nBootCount();
  for (const v of opts.versions) await assertServedN8nVersion(v);
  const images: Record<string, string> = {};
  const results: ScenarioResult[] = [];
  const pool = resolvingStackPool(opts.images, opts.progress);
  try {
    for (const version of opts.versions) {
      images[version] = await resolveN8nImage(version, opts.images);
      if (Object.keys(images).length === 1) await assertPublishedPortsReachable(images[version]);
    }
    const queue = opts.versions.flatMap((version) => planGroups(version, opts.scenarios).map((group) => ({ version, group })));
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        for (const scenario of next.group) {
          let result: ScenarioResult;
          try {
            const stack = await pool.acquire(next.version, scenario);
            result = await runScenario(scenario, stack, opts.progress);
          } catch (err) {
            if (!(await engineAnswers())) throw new EngineGoneError();
            result = stackFailure(scenario, next.version, err);
          }
          await pool.handBack(next.version, scenario);
          results.push(result);
          opts.onResult?.(result);
        }
        await pool.release(next.version, next.group[0]!);
      }
    };
    const engine = watchEngine();
    try {
      await Promise.race([Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker)), engine.gone]);
    } finally {
      engine.stop();
    }
  } catch (err) {
    // With the engine gone nothing can be stopped: say so at once rather than wait on it.
    if (err instanceof EngineGoneError) throw err;
    await pool.stopAll();
    throw err;
  }
  await pool.stopAll();
  const rank = (r: ScenarioResult) => opts.versions.indexOf(r.version) * opts.scenarios.length + opts.scenarios.findIndex((s) => s.id === r.id);
  results.sort((a, b) => rank(a) - rank(b));
  return { versions: opts.versions, images, results, boots: n8nBootCount() - bootsBefore, stacks: pool.booted, startedAt, finishedAt: new Date().toISOString() };
}

/** The result of a scenario whose stack could not start: not runnable (an image cannot be had here) or inconclusive. */
export function stackFailure(scenario: AnyScenario, version: string, err: unknown): ScenarioResult {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ImageUnavailableError) {
    return {
      ...stackFailure(scenario, version, new Error(message)),
      verdict: { kind: 'not-runnable', headline: 'not runnable here', summary: `n8n ${version}: not runnable here: ${message}; run it where a registry serves the image`, reasons: [message] },
      error: undefined,
    };
  }
  return {
    id: scenario.id,
    family: scenario.family,
    title: scenario.title,
    guide: scenario.guide,
    predicts: scenario.predicts,
    version,
    observation: { faultProof: [], symptom: [], alongside: [], remedies: [] },
    verdict: { kind: 'inconclusive', headline: 'inconclusive: its stack did not start', summary: `n8n ${version}: inconclusive: its stack did not start: ${message.split('\n')[0]}`, reasons: [message] },
    correctFixResolves: false,
    durationMs: 0,
    error: message,
  };
}
