import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { composeN8nVersion } from '../check/file-version.ts';
import { runDeployCheck } from '../check/run-check.ts';
import { toDeployCheckHtml } from '../report/deploy-check-html.ts';
import { describeDeployCheck, toDeployCheckJson, toDeployCheckJUnit } from '../report/deploy-check.ts';
import { cleanupOnSignals } from '../stack/cleanup.ts';
import { docker } from '../stack/docker.ts';
import { UserError } from '../user-error.ts';
import type { CHECK_OPTIONS } from './commands.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { out, progress } from './io.ts';
import type { Values } from './options.ts';
import { sweptAfter } from './swept.ts';
import { TOOL_VERSION } from './version.ts';

/** `authlab check --compose <file> [--service] [--nginx] [--env-file] [--n8n] [--to] [--out]`: exit 1 when a check fails. */
export function run(values: Values<typeof CHECK_OPTIONS>): Promise<number> {
  if (values['print-version']) return printVersion(values);
  return sweptAfter(() => deployCheck(values));
}

/** --print-version: the release the check would check the file as, on stdout alone (a CI step reads it). */
async function printVersion(values: Values<typeof CHECK_OPTIONS>): Promise<number> {
  if (!values.compose) throw new UserError('check needs --compose <docker-compose.yml>');
  out(await composeN8nVersion({ compose: values.compose, envFile: values['env-file'], service: values.service, version: values.n8n }, progress));
  return 0;
}

async function deployCheck(values: Values<typeof CHECK_OPTIONS>): Promise<number> {
  if (!values.compose) throw new UserError('check needs --compose <docker-compose.yml>');
  await docker();
  cleanupOnSignals();
  const run = await runDeployCheck({
    compose: values.compose,
    service: values.service,
    nginx: values.nginx,
    envFile: values['env-file'],
    version: values.n8n,
    to: values.to,
    images: imageOptionsFromFlags(values, progress),
    progress,
  });
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
