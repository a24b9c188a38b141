import { resolveN8nImage } from '../images/n8n-image.ts';
import { assertServedN8nVersion } from '../images/n8n-versions.ts';
import { resolveLayerImage } from '../images/layer-image.ts';
import { ImageUnavailableError, resolveServiceImage } from '../images/service-images.ts';
import type { ImageOptions } from '../images/options.ts';
import { n8nBootCount } from '../stack/n8n-container.ts';
import { assertPublishedPortsReachable } from '../stack/port-check.ts';
import { runScenario } from './runner.ts';
import { StackPool } from './stack-pool.ts';
import type { Scenario, ScenarioResult } from './types.ts';

export interface CatalogueRun {
  versions: string[];
  images: Record<string, string>;
  results: ScenarioResult[];
  boots: number;
  startedAt: string;
  finishedAt: string;
}

export interface CatalogueOptions {
  versions: string[];
  scenarios: Scenario[];
  images: ImageOptions;
  progress: (line: string) => void;
  onResult?: (result: ScenarioResult) => void;
}

/**
 * Groups scenarios by the stack they need, so each distinct stack boots once per version; a
 * stack is stopped as soon as its last scenario is done, to keep memory flat.
 */
export function planGroups(version: string, scenarios: Scenario[]): Scenario[][] {
  const groups = new Map<string, Scenario[]>();
  for (const s of scenarios) {
    const key = StackPool.keyOf(version, s);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()];
}

/** A stack pool that pulls or builds every image it needs on first use (cached by tag). */
export function resolvingStackPool(images: ImageOptions, progress: (line: string) => void): StackPool {
  return new StackPool({
    imageFor: (v) => resolveN8nImage(v, images),
    serviceImage: (kind) => resolveServiceImage(kind, images),
    layerImage: (layer, image) => resolveLayerImage(layer, image, images),
    progress,
  });
}

/** Runs the selected scenarios on each version: images first (all versions checked before any build), then stacks. */
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
      for (const group of planGroups(version, opts.scenarios)) {
        for (const scenario of group) {
          let result: ScenarioResult;
          try {
            const stack = await pool.acquire(version, scenario);
            result = await runScenario(scenario, stack, opts.progress);
          } catch (err) {
            result = stackFailure(scenario, version, err);
          }
          results.push(result);
          opts.onResult?.(result);
        }
        await pool.release(version, group[0]!);
      }
    }
  } finally {
    await pool.stopAll();
  }
  return { versions: opts.versions, images, results, boots: n8nBootCount() - bootsBefore, startedAt, finishedAt: new Date().toISOString() };
}

/** The result of a scenario whose stack could not start: not runnable (an image cannot be had here) or inconclusive. */
export function stackFailure(scenario: Scenario, version: string, err: unknown): ScenarioResult {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ImageUnavailableError) {
    return {
      ...stackFailure(scenario, version, new Error(message)),
      verdict: { kind: 'not-runnable', summary: `${message}; run it where a registry serves the image`, reasons: [message] },
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
    verdict: { kind: 'inconclusive', summary: `inconclusive on n8n ${version}: its stack did not start: ${message.split('\n')[0]}`, reasons: [message] },
    correctFixResolves: false,
    durationMs: 0,
    error: message,
  };
}
