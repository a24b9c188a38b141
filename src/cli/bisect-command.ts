import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { COMPARED, type Compared, comparedBehaviour } from '../features/bisect/compared.ts';
import { removeMadeImages } from '../features/bisect/release-images.ts';
import { releaseNotesUrl, servedReleasesBetween } from '../features/bisect/releases.ts';
import { bisectMarkdown, bisectReport, type BisectReport } from '../features/bisect/report.ts';
import { bisect, type BisectStep } from '../features/bisect/search.ts';
import { tryRelease, type ReleaseTry } from '../features/bisect/try-release.ts';
import { didYouMean } from '../base/did-you-mean.ts';
import type { ImageOptions } from '../parts/images/options.ts';
import { writeRunReports } from '../engine/report/run-reports.ts';
import { ledgerCatalogue, scenarios } from '../families/registry.ts';
import type { CatalogueRun } from '../engine/plan.ts';
import type { AnyScenario } from '../core/types.ts';
import { cleanupOnSignals } from '../docker/cleanup.ts';
import { docker } from '../docker/docker.ts';
import { UserError } from '../base/user-error.ts';
import type { BISECT_OPTIONS } from './command-options.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { assertWritableFolder } from './input-files.ts';
import { out, progress } from './io.ts';
import { splitList, type Values } from './options.ts';
import { sweptAfter } from './swept.ts';
import { TOOL_VERSION } from './version.ts';

type BisectValues = Values<typeof BISECT_OPTIONS>;

/** `authlab bisect <scenario> --good v --bad v`: bad input is named before anything starts. */
export async function run(values: BisectValues, args: string[]): Promise<number> {
  const scenario = scenarioNamed(args[0]);
  if (!values.good || !values.bad) throw new UserError('bisect needs --good <version> and --bad <version> (authlab bisect --help)');
  const by = (values.compare ?? 'answers') as Compared;
  if (!COMPARED.includes(by)) throw new UserError(`--compare takes ${COMPARED.join(' or ')}, not ${by}${didYouMean(by, COMPARED)}`);
  const releases = await servedReleasesBetween(values.good, values.bad);
  const skip = splitList(values.skip);
  const notBetween = skip.filter((v) => !releases.slice(1, -1).includes(v));
  if (notBetween.length) throw new UserError(`--skip names releases the registry does not serve between --good and --bad: ${notBetween.join(', ')}`);
  await assertWritableFolder(values.out ?? join('authlab-reports', `bisect-${scenario.id}`), '--out');
  const images = imageOptionsFromFlags(values, progress);
  return sweptAfter(() => bisectReleases(scenario, releases, by, new Set(skip), values, images));
}

function scenarioNamed(id: string | undefined): AnyScenario {
  if (id === undefined)
    throw new UserError('bisect needs a scenario id: authlab bisect <scenario> --good <version> --bad <version> (authlab list shows the ids)');
  const scenario = scenarios.find((s) => s.id === id);
  if (scenario) return scenario;
  const ids = scenarios.map((s) => s.id);
  const near = ids.filter((s) => s.startsWith(id) || s.startsWith(`${id.split('.')[0]}.`));
  throw new UserError(
    `unknown scenario "${id}"${didYouMean(id, ids)}${near.length ? `; in its family: ${near.join(', ')}` : ''} (authlab list shows every id)`,
  );
}

async function bisectReleases(
  scenario: AnyScenario,
  releases: string[],
  by: Compared,
  skip: ReadonlySet<string>,
  values: BisectValues,
  images: ImageOptions,
): Promise<number> {
  const startedAt = new Date();
  await docker();
  cleanupOnSignals();
  const [good, bad] = [releases[0]!, releases.at(-1)!];
  out(`authlab ${TOOL_VERSION}: bisect of ${scenario.id} over ${releases.length - 2} release(s) between n8n ${good} (good) and ${bad} (bad), comparing ${by}`);
  const tries = new Map<string, ReleaseTry>();
  const attempt = async (version: string, label: string): Promise<ReleaseTry> => {
    progress(`bisect ${label}: n8n ${version}: image and scenario`);
    const t = await tryRelease(version, scenario, images, progress, (r) => comparedBehaviour(r, by));
    tries.set(version, t);
    return t;
  };
  const goodTry = await attempt(good, '--good');
  announce(goodTry, '--good');
  const badTry = await attempt(bad, '--bad');
  announce(badTry, '--bad');
  for (const [t, flag] of [
    [goodTry, '--good'],
    [badTry, '--bad'],
  ] as const)
    if (t.probe.kind === 'skipped') throw new UserError(`${flag} ${t.version} cannot be tried: ${t.probe.reason}`);
  const goodBehaviour = (goodTry.probe as { behaviour: string }).behaviour;
  if ((badTry.probe as { behaviour: string }).behaviour === goodBehaviour)
    throw new UserError(`--good ${good} and --bad ${bad} behave the same (${by}: ${goodBehaviour}): nothing to bisect`);

  let step = 0;
  const steps: BisectStep[] = [];
  const outDir = values.out ?? join('authlab-reports', `bisect-${scenario.id}`);
  let writtenSoFar: Promise<void> = Promise.resolve();
  const result = await bisect(
    releases,
    goodBehaviour,
    async (version) => {
      step++;
      return skip.has(version) ? { kind: 'skipped', reason: 'given --skip' } : (await attempt(version, `step ${step}`)).probe;
    },
    (s: BisectStep) => {
      if (s.reason === 'given --skip') progress(`bisect: n8n ${s.version}: skipped (--skip)`);
      else announce(tries.get(s.version)!, `step ${step} (${s.left} release(s) left)`, s.outcome);
      steps.push(s);
      const partial = {
        lastSame: s.interval[0],
        candidates: releases.slice(releases.indexOf(s.interval[0]) + 1, releases.indexOf(s.interval[1]) + 1),
        skipped: skippedIn(steps),
        steps,
      };
      writtenSoFar = writeReports(
        bisectReport({ scenario: scenario.id, by, releases, good: goodTry, bad: badTry, result: partial, tries, removed: [], startedAt, inProgress: true }),
        tries,
        outDir,
      );
    },
  );
  await writtenSoFar;
  const removed = values['remove-built'] ? await removeBuilt(tries) : [];
  const report = bisectReport({ scenario: scenario.id, by, releases, good: goodTry, bad: badTry, result, tries, removed, startedAt });
  await writeReports(report, tries, outDir);
  out(`reports: bisect.json, bisect.md and the ledger of the releases run in ${resolve(outDir)}`);
  printResult(report);
  return report.firstDiffering ? 0 : 1;
}

/** The progress line of one try: version, how its image was had, its behaviour and what that says. */
function announce(t: ReleaseTry, label: string, outcome?: BisectStep['outcome']): void {
  const image = t.image ? `${t.image.how} ${t.image.tag}${t.image.how === 'reused' ? '' : ` in ${t.image.seconds} s`}` : 'no image';
  const what =
    t.probe.kind === 'judged' ? `${t.probe.behaviour}; answered ${t.result?.verdict.answers?.answered.slice(0, 160) ?? '?'}` : `skipped: ${t.probe.reason}`;
  progress(
    `bisect ${label}: n8n ${t.version}: ${image}; ${what}${outcome && outcome !== 'skipped' ? ` -> ${outcome === 'same' ? 'same as --good' : 'differs from --good'}` : ''}`,
  );
}

const skippedIn = (steps: BisectStep[]) => steps.flatMap((s) => (s.outcome === 'skipped' ? [{ version: s.version, reason: s.reason ?? '' }] : []));

async function removeBuilt(tries: Map<string, ReleaseTry>): Promise<string[]> {
  const { removed, kept } = await removeMadeImages([...tries.values()].flatMap((t) => t.made));
  for (const k of kept) progress(`kept ${k.tag}: ${k.why}`);
  return removed;
}

/** bisect.json, bisect.md, and the ledger of every run it made (a column per release tried). */
async function writeReports(report: BisectReport, tries: Map<string, ReleaseTry>, outDir: string): Promise<void> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'bisect.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(dir, 'bisect.md'), bisectMarkdown(report));
  const runs = [...tries.values()].flatMap((t) => (t.run ? [t.run] : [])).sort((a, b) => semver.compare(a.versions[0]!, b.versions[0]!));
  if (runs.length) await writeRunReports(mergedRun(runs), dir, { catalogue: ledgerCatalogue, toolVersion: TOOL_VERSION });
}

function mergedRun(runs: CatalogueRun[]): CatalogueRun {
  return {
    versions: runs.flatMap((r) => r.versions),
    images: Object.assign({}, ...runs.map((r) => r.images)),
    results: runs.flatMap((r) => r.results),
    boots: runs.reduce((n, r) => n + r.boots, 0),
    startedAt: runs[0]!.startedAt,
    finishedAt: runs.at(-1)!.finishedAt,
  };
}

function printResult(r: BisectReport): void {
  out('');
  for (const t of r.tried)
    out(
      `n8n ${t.version} (${t.role === 'step' ? `step ${t.step}` : `--${t.role}`}): ${t.outcome}: ${t.compared ?? t.reason}${t.answered ? `; answered ${t.answered.slice(0, 200)}` : ''}`,
    );
  out('');
  if (r.firstDiffering) {
    out(`first release whose ${r.compared.by} differs from n8n ${r.good}'s: n8n ${r.firstDiffering.version} (${r.firstDiffering.releaseNotes})`);
    out(`last release that behaves as n8n ${r.good}: n8n ${r.lastSame} (${releaseNotesUrl(r.lastSame)})`);
  } else out(`skipped releases leave it open: the first release that differs is one of ${r.candidates.join(', ')} (n8n ${r.lastSame} behaves as ${r.good})`);
  if (r.skipped.length) out(`skipped: ${r.skipped.map((s) => `${s.version} (${s.reason})`).join('; ')}`);
  const kept = r.imagesBuilt.filter((tag) => !r.imagesRemoved.includes(tag));
  out(`images built: ${r.imagesBuilt.join(', ') || 'none'}${r.imagesRemoved.length ? `; removed: ${r.imagesRemoved.join(', ')}` : ''}`);
  if (kept.length) out(`kept ${kept.join(', ')}: the cache of the next bisect or run (--remove-built removes what a bisect built)`);
}
