import { inject } from 'vitest';
import { FAMILY_IDS, type FamilyId } from '../../src/families/registry.ts';
import { type CatalogueOptions, runCatalogue } from '../../src/engine/plan.ts';
import { committedCosts, plannedGroupCost } from '../../src/engine/shard.ts';
import { imageOptionsFromEnv } from '../../src/parts/images/options.ts';
import { ImageUnavailableError } from '../../src/parts/images/service-images.ts';
import type { AnyScenario, ScenarioResult } from '../../src/core/types.ts';
import { guideSections, guideTestName } from './guide-names.ts';
import { slot, suiteSlots } from './slots.ts';
import { workerSingleton } from './worker-singleton.ts';
import { guideVersions } from './versions.ts';

/**
 * The catalogue engine of a test run: once per vitest worker it plans every scenario the run's
 * guide suites will test (their families x the test versions, narrowed by `-t`) with the planning
 * `authlab run` uses, and runs the groups side by side as `authlab run` does, the costliest first
 * (measured costs, fixtures/plan/costs.json), each group in one of the slots it shares with the
 * heavy files (support/slots.ts). Each test awaits its own scenario's result.
 */

/** The images global setup resolved, handed to the engine (nothing is built in the worker). */
function injectedImages(): Pick<CatalogueOptions, 'n8n' | 'prepared'> {
  return {
    n8n: guideVersions().flatMap((version) => {
      const image = inject('n8nImages')[version];
      return image ? [{ version, image }] : [];
    }),
    prepared: {
      layerImage: async (layer, n8nImage) => {
        const entry = Object.entries(inject('n8nImages')).find(([, image]) => image === n8nImage);
        const image = entry && inject('layerImages')[`${layer} ${entry[0]}`];
        if (!image) throw new Error(`no ${layer} image was built for ${n8nImage}`);
        return image;
      },
      serviceImage: async (kind) => {
        const image = inject('serviceImages')[kind];
        if (!image) throw new ImageUnavailableError(inject('serviceImageErrors')[kind] ?? `no image was resolved for ${kind}`);
        return image;
      },
    },
  };
}

/** The scenario runs the guide suites will ask for, in the order their tests run. */
function wantedRuns(): Array<{ version: string; scenario: AnyScenario }> {
  const { families, testNamePattern } = inject('guideRun') ?? { families: [] };
  const pattern = testNamePattern && new RegExp(testNamePattern.source, testNamePattern.flags);
  const wanted: Array<{ version: string; scenario: AnyScenario }> = [];
  for (const family of families.filter((f): f is FamilyId => FAMILY_IDS.includes(f as FamilyId))) {
    for (const version of guideVersions()) {
      for (const [, scenarios] of guideSections(family)) {
        for (const scenario of scenarios) if (!pattern || pattern.test(guideTestName(family, version, scenario))) wanted.push({ version, scenario });
      }
    }
  }
  return wanted;
}

const keyOf = (id: string, version: string) => `${id}@${version}`;
interface Pending {
  promise: Promise<ScenarioResult>;
  resolve: (result: ScenarioResult) => void;
  reject: (err: unknown) => void;
}
/** The worker's one engine: its runs awaited, and its end (workerSingleton: once, even if this module is imported again). */
const engine = workerSingleton('catalogue-engine', () => ({ pending: new Map<string, Pending>(), finished: undefined as Promise<void> | undefined }));
const { pending } = engine;

/** Starts the engine (once; later calls do nothing). */
export function startCatalogueEngine(): void {
  if (engine.finished) return;
  const wanted = wantedRuns();
  for (const { version, scenario } of wanted) {
    const deferred = {} as Pending;
    deferred.promise = new Promise((resolve, reject) => Object.assign(deferred, { resolve, reject }));
    // A result nobody asked for yet must not count as an unhandled rejection if the run ends early.
    deferred.promise.catch(() => undefined);
    pending.set(keyOf(scenario.id, version), deferred);
  }
  engine.finished = (async () => {
    if (wanted.length === 0) return;
    try {
      // The engine of `authlab run`, on the wanted runs only, the costliest stacks first (measured costs).
      // Each group holds one of the worker's slots (the heavy files' too) and frees it between groups:
      // as many workers as slots, so the engine takes every slot the files leave.
      await runCatalogue({
        ...injectedImages(),
        runs: wanted,
        scenarios: [...new Set(wanted.map((w) => w.scenario))],
        images: imageOptionsFromEnv(),
        concurrency: suiteSlots(),
        slot,
        groupCost: plannedGroupCost(committedCosts()),
        progress: (line) => console.log(`  … ${line}`),
        onResult: (result) => pending.get(keyOf(result.id, result.version))?.resolve(result),
      });
    } catch (err) {
      // runCatalogue stopped its stacks (with the Docker engine gone, global teardown sweeps what is left).
      for (const deferred of pending.values()) deferred.reject(err);
    }
  })();
}

/** The result of a scenario on a version, once the engine has run it. */
export function scenarioResult(scenario: AnyScenario, version: string): Promise<ScenarioResult> {
  startCatalogueEngine();
  const deferred = pending.get(keyOf(scenario.id, version));
  if (!deferred)
    return Promise.reject(
      new Error(
        `${keyOf(scenario.id, version)} was not planned: the run's guide suites and -t are handed to the engine by support/sequencer.ts (sequence.sequencer in vitest.config.ts)`,
      ),
    );
  return deferred.promise;
}

/** After the last guide suite of the run: waits until the engine has stopped its stacks (global teardown sweeps after). */
export async function afterGuideSuite(family: FamilyId): Promise<void> {
  if (inject('guideRun')?.families.at(-1) === family) await engine.finished;
}
