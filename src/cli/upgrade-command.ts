import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { didYouMean } from '../base/did-you-mean.ts';
import { DEFAULT_N8N_VERSIONS } from '../parts/images/n8n-versions.ts';
import { n8nImagesOf } from '../parts/images/n8n-image.ts';
import type { ImageOptions } from '../parts/images/options.ts';
import { toLedgerJson } from '../engine/report/ledger.ts';
import { stepLedgerFiles, toUpgradeJson, toUpgradeJUnit, toUpgradeMarkdown, toUpgradePathMarkdown } from '../features/upgrade/upgrade-report.ts';
import { cleanupOnSignals } from '../docker/cleanup.ts';
import { docker } from '../docker/docker.ts';
import { runUpgradePaths, UPGRADE_DATABASES, type UpgradeDatabase, type UpgradeResult } from '../features/upgrade/upgrade-check.ts';
import { UserError } from '../base/user-error.ts';
import type { UPGRADE_OPTIONS } from './command-options.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { assertWritableFolder } from './input-files.ts';
import { out, progress } from './io.ts';
import { splitList, type Values } from './options.ts';
import { sweptAfter } from './swept.ts';
import { TOOL_VERSION } from './version.ts';
import { resolvedVersions } from './versions-option.ts';

type UpgradeValues = Values<typeof UPGRADE_OPTIONS>;

/** Every input checked (--database, --out, image flags, the path's versions) before the engine is asked. */
export async function run(values: UpgradeValues): Promise<number> {
  const databases = databasesOf(values);
  await assertWritableFolder(values.out ?? 'authlab-reports', '--out');
  const images = imageOptionsFromFlags(values, progress);
  const path = await pathOf(values);
  return sweptAfter(() => upgradePath(values, { databases, images, path }));
}

/** The path from --path, or --from and --to as a two-step path; versions resolved, each differing from the one before. */
async function pathOf(values: UpgradeValues): Promise<string[]> {
  const asked = splitList(values.path);
  if (asked.length && (values.from || values.to)) throw new UserError('give --path, or --from and --to, not both');
  if (!asked.length) {
    const [from, to] = await resolvedVersions([values.from ?? DEFAULT_N8N_VERSIONS[0]!, values.to ?? DEFAULT_N8N_VERSIONS.at(-1)!], false);
    if (from === to) throw new UserError(`--from and --to are both ${from}; give two versions`);
    return [from!, to!];
  }
  if (asked.length < 2) throw new UserError(`--path needs at least two versions (got ${asked.join(',')})`);
  const path = await resolvedVersions(asked, false);
  const repeated = path.findIndex((v, i) => i > 0 && path[i - 1] === v);
  if (repeated > 0) throw new UserError(`--path names n8n ${path[repeated]} twice in a row; each step must be another version`);
  return path;
}

function databasesOf(values: UpgradeValues): UpgradeDatabase[] {
  const asked = splitList(values.database);
  const unknown = asked.filter((d) => !(UPGRADE_DATABASES as readonly string[]).includes(d));
  if (unknown.length)
    throw new UserError(
      `unknown --database: ${unknown.map((d) => `${d}${didYouMean(d, UPGRADE_DATABASES)}`).join(', ')}. Valid: ${UPGRADE_DATABASES.join(', ')}`,
    );
  return asked.length ? ([...new Set(asked)] as UpgradeDatabase[]) : ['postgres'];
}

async function upgradePath(
  values: UpgradeValues,
  { databases, images, path }: { databases: UpgradeDatabase[]; images: ImageOptions; path: string[] },
): Promise<number> {
  await docker();
  cleanupOnSignals();
  out(`authlab ${TOOL_VERSION}: upgrade n8n ${path.join(' -> ')} on ${databases.join(', ')}`);
  const started = Date.now();
  // pathOf checked each version against the registry; each image is had once, here.
  const n8n = await n8nImagesOf([...new Set(path)], images);
  const results = await runUpgradePaths({ path, n8n, databases, images, tool: TOOL_VERSION, progress });
  const dir = resolve(values.out ?? 'authlab-reports');
  for (const r of results) await writeReports(dir, r);
  await writeFile(join(dir, 'upgrade.md'), toUpgradePathMarkdown(results));
  for (const r of results) printResult(r);
  const wall = Math.round((Date.now() - started) / 1000);
  out(
    `reports in ${dir}: upgrade.md, and per database upgrade-<db>.json, upgrade-<db>-junit.xml, upgrade-<db>.md, upgrade-<db>/ (each step's ledger); ${wall} s`,
  );
  return results.every((r) => r.passed) ? 0 : 1;
}

async function writeReports(dir: string, r: UpgradeResult): Promise<void> {
  const ledgers = join(dir, `upgrade-${r.database}`);
  await mkdir(ledgers, { recursive: true });
  await writeFile(join(dir, `upgrade-${r.database}.json`), toUpgradeJson(r, TOOL_VERSION));
  await writeFile(join(dir, `upgrade-${r.database}-junit.xml`), toUpgradeJUnit(r));
  await writeFile(join(dir, `upgrade-${r.database}.md`), toUpgradeMarkdown(r));
  for (const { file, step } of stepLedgerFiles(r)) await writeFile(join(ledgers, file), toLedgerJson(step.ledger));
}

function printResult(r: UpgradeResult): void {
  const steps = [...r.steps, ...(r.downgrade ? [r.downgrade] : [])];
  for (const s of steps) {
    const as = s === r.downgrade ? `[${r.database}] downgrade to n8n ${s.probe.version}` : `[${r.database}] n8n ${s.probe.version}`;
    for (const c of s.probe.checks) out(`${c.ok ? 'ok    ' : 'FAILED'} ${as}: ${c.what}: ${c.evidence}`);
    for (const c of s.changes) out(`changed ${as}: ${c}`);
  }
  for (const v of r.notReached) out(`FAILED [${r.database}] n8n ${v}: not reached`);
  out(`[${r.database}] upgrade ${r.path.join(' -> ')}: ${r.passed ? 'passed' : 'FAILED'}`);
}
