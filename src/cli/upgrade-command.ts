import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_N8N_VERSIONS } from '../images/n8n-versions.ts';
import { toUpgradeJson, toUpgradeJUnit, toUpgradeMarkdown } from '../report/upgrade.ts';
import { cleanupOnSignals } from '../stack/cleanup.ts';
import { docker } from '../stack/docker.ts';
import { runUpgradeCheck } from '../upgrade/upgrade-check.ts';
import { UserError } from '../user-error.ts';
import type { UPGRADE_OPTIONS } from './commands.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { out, progress } from './io.ts';
import type { Values } from './options.ts';
import { sweptAfter } from './swept.ts';
import { TOOL_VERSION } from './version.ts';
import { resolvedVersions } from './versions-option.ts';

export function run(values: Values<typeof UPGRADE_OPTIONS>): Promise<number> {
  return sweptAfter(() => upgradeCheck(values));
}

async function upgradeCheck(values: Values<typeof UPGRADE_OPTIONS>): Promise<number> {
  const [from, to] = (await resolvedVersions(
    [values.from ?? DEFAULT_N8N_VERSIONS[0]!, values.to ?? DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!],
    false,
  )) as [string, string];
  if (from === to) throw new UserError(`--from and --to are both ${from}; give two versions`);
  await docker();
  cleanupOnSignals();
  const images = imageOptionsFromFlags(values, progress);
  out(`authlab ${TOOL_VERSION}: upgrade check n8n ${from} -> ${to}`);
  const result = await runUpgradeCheck({ from, to, images, progress });
  const dir = resolve(values.out ?? 'authlab-reports');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'upgrade.json'), toUpgradeJson(result, TOOL_VERSION));
  await writeFile(join(dir, 'upgrade-junit.xml'), toUpgradeJUnit(result));
  await writeFile(join(dir, 'upgrade.md'), toUpgradeMarkdown(result));
  for (const p of [result.before, result.after, result.downgrade]) for (const c of p.checks) out(`${c.ok ? 'ok    ' : 'FAILED'} ${c.what}: ${c.evidence}`);
  for (const c of result.changes) out(`changed: ${c}`);
  out(`upgrade ${from} -> ${to}: ${result.passed ? 'passed' : 'FAILED'}; reports: upgrade.json, upgrade-junit.xml, upgrade.md in ${dir}`);
  return result.passed ? 0 : 1;
}
