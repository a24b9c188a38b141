import { describeExchange } from '../parts/client/exchange.ts';
import { DEFAULT_N8N_VERSIONS } from '../parts/images/n8n-versions.ts';
import { failureOf } from '../engine/report/failure.ts';
import { writeRunReports } from '../engine/report/run-reports.ts';
import { verdictTable } from '../engine/report/table.ts';
import { letIn } from '../engine/report/security-finding.ts';
import type { ImageOptions } from '../parts/images/options.ts';
import { n8nImagesOf } from '../parts/images/n8n-image.ts';
import { type CatalogueScenario, ledgerCatalogue, selectScenarios } from '../families/registry.ts';
import { defaultConcurrency, runCatalogue } from '../engine/plan.ts';
import type { ScenarioResult, VerdictKind } from '../core/types.ts';
import { chosenKind, FAIL_ON_KINDS } from '../engine/report/junit.ts';
import { briefHeadline } from '../core/verdict.ts';
import { cleanupOnSignals, interrupted } from '../docker/cleanup.ts';
import { docker } from '../docker/docker.ts';
import type { RUN_OPTIONS } from './command-options.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { assertWritableFolder } from './input-files.ts';
import { out, progress } from './io.ts';
import { splitList, type Values, wholeNumber } from './options.ts';
import { sweptAfter } from './swept.ts';
import { setReportsDir } from '../parts/browser/screenshot-files.ts';
import { TOOL_VERSION } from './version.ts';
import { UserError } from '../base/user-error.ts';
import { didYouMean } from '../base/did-you-mean.ts';
import { resolvedVersions } from './versions-option.ts';
import { committedCosts, parseShard, plannedGroupCost, type Shard, shardRuns } from '../engine/shard.ts';
import { runShard } from '../engine/shard-run.ts';

export async function run(values: Values<typeof RUN_OPTIONS>): Promise<number> {
  const input = await runInput(values);
  return sweptAfter(() => runCatalogueCommand(values, input));
}

/** What a run is asked for. */
interface RunInput {
  selected: CatalogueScenario[];
  /** Verdict kinds that fail the run (--fail-on). */
  failOn: VerdictKind[];
  concurrency: number;
  images: ImageOptions;
  versions: string[];
  /** --shard: only this part of the plan. */
  shard?: Shard;
}

/** The run's input, every part checked (scenarios, --concurrency, --out, image flags, versions) before the engine is asked. */
async function runInput(values: Values<typeof RUN_OPTIONS>): Promise<RunInput> {
  const selected = selectScenarios({ families: splitList(values.family), ids: splitList(values.only) });
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const failOn = failOnKinds(splitList(values['fail-on']));
  const concurrency = values.concurrency === undefined ? defaultConcurrency() : wholeNumber('--concurrency', values.concurrency, 1);
  await assertWritableFolder(values.out ?? 'authlab-reports', '--out');
  const images = imageOptionsFromFlags(values, progress);
  const asked = splitList(values.n8n);
  // The one check of each version against the registry; the images are had once docker() answers.
  const versions = await resolvedVersions(asked.length ? asked : [DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!]);
  return { selected, failOn, concurrency, images, versions, ...(shard ? { shard } : {}) };
}

async function runCatalogueCommand(values: Values<typeof RUN_OPTIONS>, { selected, failOn, concurrency, images, versions, shard }: RunInput): Promise<number> {
  await docker();
  cleanupOnSignals();
  setReportsDir(values.out ?? 'authlab-reports'); // screenshots are saved there as the scenarios take them
  out(`authlab ${TOOL_VERSION}: ${selected.length} scenario(s) on n8n ${versions.join(', ')}`);
  const costs = committedCosts();
  const part =
    shard &&
    shardRuns(
      versions.flatMap((version) => selected.map((scenario) => ({ version, scenario }))),
      shard,
      costs,
    );
  if (part)
    out(
      `shard ${part.of.index}/${part.of.count}: ${part.of.groups.length} of ${part.of.ofGroups} stack group(s), ${part.runs.length} scenario run(s), about ${Math.round(part.seconds)} s of ${Math.round(part.totalSeconds)} s measured`,
    );
  const total = part ? part.runs.length : selected.length * versions.length;
  let done = 0;
  // The versions were checked against the registry in runInput; each image is had once, here.
  const n8n = await n8nImagesOf(versions, images);
  const catalogueOptions = {
    n8n,
    scenarios: selected,
    images,
    progress,
    concurrency,
    // The costliest stacks start first, so a long one does not run alone at the end.
    groupCost: plannedGroupCost(costs),
    onResult: (r: ScenarioResult) => {
      done++;
      out(
        `[${done}/${total}] n8n ${r.version} ${r.id}: ${briefHeadline(r.verdict.kind, r.verdict.answers)}${failureOf(r) ? ' — FAILED' : ''}${securityMark(r)} (${(r.durationMs / 1000).toFixed(1)} s)`,
      );
      out(`    ${r.verdict.summary.slice(0, 300)}`);
      const failure = failureOf(r);
      if (failure) for (const e of r.observation.symptom) out(`    ${describeExchange(e).slice(0, 300)}`);
    },
  };
  const run = part ? await runShard(part.runs, part.of, catalogueOptions) : await runCatalogue(catalogueOptions);
  // Stopped by a signal: the scenarios cut short are no verdicts, and the last run's reports stay.
  if (interrupted()) return interrupted()!;
  const { ledger, dir, written } = await writeRunReports(run, values.out ?? 'authlab-reports', {
    catalogue: ledgerCatalogue,
    toolVersion: TOOL_VERSION,
    failOn,
  });
  out('');
  out(verdictTable(ledger));
  out('');
  out(`${run.results.length} scenario run(s), ${run.boots} n8n boot(s); reports: ${written.join(', ')} in ${dir}`);
  const findings = run.results.filter((r) => securityMark(r));
  if (findings.length) out(`${findings.length} security finding(s): ${findings.map((r) => `${r.id}@${r.version}${securityMark(r)}`).join('; ')}`);
  const failed = run.results.filter((r) => failureOf(r) !== undefined);
  if (failed.length) out(`${failed.length} scenario(s) failed: ${failed.map((r) => `${r.id}@${r.version}`).join(', ')}`);
  const chosen = run.results.filter((r) => failureOf(r) === undefined && chosenKind(r.verdict.kind, failOn));
  if (chosen.length) out(`${chosen.length} verdict(s) of a kind --fail-on names: ${chosen.map((r) => `${r.id}@${r.version} (${r.verdict.kind})`).join(', ')}`);
  return failed.length || chosen.length ? 1 : 0;
}

/** ` — SECURITY: lets in ...` where the result let in someone who does not belong; else empty. */
function securityMark(r: ScenarioResult): string {
  const who = letIn(r, r.verdict.answers);
  return who ? ` — SECURITY: lets in ${who}` : '';
}

/** The kinds `--fail-on` names, each checked before anything runs. */
function failOnKinds(asked: string[]): VerdictKind[] {
  const unknown = asked.filter((k) => !(FAIL_ON_KINDS as string[]).includes(k));
  if (unknown.length)
    throw new UserError(
      `--fail-on: unknown verdict kind ${unknown.map((k) => `${k}${didYouMean(k, FAIL_ON_KINDS)}`).join(', ')}; the kinds: ${FAIL_ON_KINDS.join(', ')}`,
    );
  return asked as VerdictKind[];
}
