import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { composeN8nVersion } from '../features/check/file-version.ts';
import { runDeployCheck } from '../features/check/run-check.ts';
import type { ImageOptions } from '../parts/images/options.ts';
import { toDeployCheckHtml } from '../features/check/deploy-check-html.ts';
import { describeDeployCheck, toDeployCheckJson, toDeployCheckJUnit } from '../features/check/deploy-check.ts';
import { cleanupOnSignals, interrupted } from '../docker/cleanup.ts';
import { UserError } from '../base/user-error.ts';
import type { CHECK_OPTIONS } from './command-options.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { assertReadable, assertWritableFolder } from './input-files.ts';
import { out, progress } from './io.ts';
import type { Values } from './options.ts';
import { sweptAfter } from './swept.ts';
import { TOOL_VERSION } from './version.ts';

/** `authlab check --compose <file> [--service] [--nginx] [--env-file] [--n8n] [--to] [--out]`: exit 1 when a check fails. */
export async function run(values: Values<typeof CHECK_OPTIONS>): Promise<number> {
  const compose = values.compose;
  if (!compose) throw new UserError('check needs --compose <docker-compose.yml>');
  // The user's files first; the check reads and parses them before it asks the engine for anything.
  await assertReadable(compose, '--compose');
  if (values['env-file']) await assertReadable(values['env-file'], '--env-file');
  if (values['print-version']) return printVersion(values, compose);
  if (values.nginx) await assertReadable(values.nginx, '--nginx', { folder: true });
  await assertWritableFolder(values.out ?? 'authlab-reports', '--out');
  const images = imageOptionsFromFlags(values, progress);
  return sweptAfter(() => deployCheck(values, compose, images));
}

/** --print-version: the release the check would check the file as, on stdout alone (a CI step reads it); no engine. */
async function printVersion(values: Values<typeof CHECK_OPTIONS>, compose: string): Promise<number> {
  out(await composeN8nVersion({ compose, envFile: values['env-file'], service: values.service, version: values.n8n }, progress));
  return 0;
}

async function deployCheck(values: Values<typeof CHECK_OPTIONS>, compose: string, images: ImageOptions): Promise<number> {
  cleanupOnSignals();
  const run = await runDeployCheck({
    compose,
    service: values.service,
    nginx: values.nginx,
    envFile: values['env-file'],
    version: values.n8n,
    to: values.to,
    images,
    progress,
  });
  // Stopped by a signal: checks cut short are no findings, and the last check's reports stay.
  if (interrupted()) return interrupted()!;
  const dir = resolve(values.out ?? 'authlab-reports');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'check.json'), toDeployCheckJson(run, TOOL_VERSION));
  await writeFile(join(dir, 'check-junit.xml'), toDeployCheckJUnit(run));
  await writeFile(join(dir, 'check.html'), toDeployCheckHtml(run, TOOL_VERSION));
  for (const line of describeDeployCheck(run)) out(line);
  const failed = run.checks.filter((c) => !c.passed);
  out(
    `${run.compose} (${run.service}, n8n ${run.version}): ${failed.length ? `${failed.length} check(s) FAILED: ${failed.map((c) => c.id).join(', ')}` : `all ${run.checks.length} checks passed`}; reports: check.html, check-junit.xml, check.json in ${dir}`,
  );
  return failed.length ? 1 : 0;
}
