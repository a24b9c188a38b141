import { n8nImagesOf } from '../../parts/images/n8n-image.ts';
import type { ImageOptions } from '../../parts/images/options.ts';
import { runCatalogue, type CatalogueRun } from '../../engine/plan.ts';
import type { AnyScenario, ScenarioResult } from '../../core/types.ts';
import { EngineGoneError } from '../../docker/docker.ts';
import { timedOut } from '../../parts/client/exchange.ts';
import { madeBetween, versionImages } from './release-images.ts';
import type { Probe } from './search.ts';
import { knownUninstallable, rememberUninstallable } from './uninstallable.ts';

/** One release tried: how its image was had, the scenario's result on it, or why it was skipped. */
export interface ReleaseTry {
  version: string;
  /** `built` or `pulled` by this bisect, or `reused` from an earlier run; absent when it could not be had. */
  image?: { tag: string; how: 'built' | 'pulled' | 'reused'; seconds: number };
  /** Images this try made (the n8n image, layers over it): the ones `--remove-built` removes. */
  made: Array<{ tag: string; id: string }>;
  run?: CatalogueRun;
  result?: ScenarioResult;
  runSeconds?: number;
  probe: Probe;
}

/**
 * Builds (or pulls) n8n `version`'s image unless it is here, then runs the one scenario on it with
 * the catalogue engine `authlab run` uses. A release that cannot be built or installed, or on
 * which the scenario could not be judged, is skipped with the reason; `behaviourOf` says what the
 * result's behaviour is. Only the Docker engine going away ends the bisect.
 */
export async function tryRelease(
  version: string,
  scenario: AnyScenario,
  images: ImageOptions,
  progress: (line: string) => void,
  behaviourOf: (result: ScenarioResult) => string | undefined,
): Promise<ReleaseTry> {
  const known = await knownUninstallable(version);
  if (known) return { version, made: [], probe: { kind: 'skipped', reason: `cannot be built: ${known}` } };
  const before = await versionImages(version);
  const started = Date.now();
  let tag: string;
  try {
    // A release servedReleasesBetween listed: the registry serves it, only its image is had here.
    tag = (await n8nImagesOf([version], images))[0]!.image;
  } catch (err) {
    if (err instanceof EngineGoneError) throw err;
    const made = madeBetween(before, await versionImages(version));
    await rememberUninstallable(version, firstLine(err));
    return { version, made, probe: { kind: 'skipped', reason: `cannot be built: ${firstLine(err)}` } };
  }
  const imageMade = madeBetween(before, await versionImages(version)).some((m) => m.tag === tag);
  const how = !imageMade ? 'reused' : tag.startsWith('n8nio/') ? 'pulled' : 'built';
  const image = { tag, how, seconds: Math.round((Date.now() - started) / 1000) } as const;
  const runStarted = Date.now();
  let run: CatalogueRun | undefined;
  let result: ScenarioResult | undefined;
  for (let attempt = 1; attempt <= RUNS_WHEN_UNANSWERED; attempt++) {
    try {
      run = await runCatalogue({ n8n: [{ version, image: tag }], scenarios: [scenario], images, progress, concurrency: 1 });
    } catch (err) {
      if (err instanceof EngineGoneError) throw err;
      const made = madeBetween(before, await versionImages(version));
      return { version, image, made, probe: { kind: 'skipped', reason: `the scenario could not run: ${firstLine(err)}` } };
    }
    result = run.results.find((r) => r.id === scenario.id);
    if (!result || !unanswered(result)) break;
    progress(`n8n ${version}: ${unanswered(result)}; the scenario runs again (a loaded machine, not n8n's behaviour)`);
  }
  const runSeconds = Math.round((Date.now() - runStarted) / 1000);
  const made = madeBetween(before, await versionImages(version));
  const behaviour = result && result.error === undefined && !unanswered(result) ? behaviourOf(result) : undefined;
  const probe: Probe =
    behaviour !== undefined
      ? { kind: 'judged', behaviour }
      : {
          kind: 'skipped',
          reason: `the scenario could not be judged: ${result ? (unanswered(result) ?? result.error ?? result.verdict.headline) : 'no result'}`,
        };
  return { version, image, made, ...(run ? { run } : {}), ...(result ? { result } : {}), runSeconds, probe };
}

/** A run whose n8n did not get ready in time, or whose symptom request got no answer in time, is run once more, then skipped. */
const RUNS_WHEN_UNANSWERED = 2;

/**
 * A symptom or remedy request that timed out waiting for n8n: on a loaded machine that says nothing
 * of n8n's behaviour, and its verdict (n8n did not answer as the guide says, or no fix resolved it)
 * would pass for a change.
 */
export function unanswered(result: ScenarioResult): string | undefined {
  if (result.error !== undefined && /not received after \d+ ?ms/.test(result.error))
    return `n8n did not get ready in time (${result.error.replace(/\s+/g, ' ').slice(0, 160)})`;
  const { symptom, remedies } = result.observation;
  const late = [...symptom, ...remedies.flatMap((r) => r.exchanges)].find(timedOut);
  return late ? `"${late.label}" got no answer in time (${late.error})` : undefined;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
