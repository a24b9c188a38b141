import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runDeployCheck } from '../check/run-check.ts';
import { describeDeployCheck, toDeployCheckJson, toDeployCheckJUnit } from '../report/deploy-check.ts';
import { cleanupOnSignals } from '../stack/cleanup.ts';
import { docker } from '../stack/docker.ts';
import { UsageError, type parse } from './args.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { TOOL_VERSION } from './version.ts';

/** `authlab check --compose <file> [--service] [--nginx] [--env-file] [--n8n] [--to] [--out]`: exit 1 when a check fails. */
export async function checkCommand(values: ReturnType<typeof parse>['values'], out: (line: string) => void, progress: (line: string) => void): Promise<number> {
  if (!values.compose) throw new UsageError('check needs --compose <docker-compose.yml>');
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
  for (const line of describeDeployCheck(run)) out(line);
  const failed = run.checks.filter((c) => !c.passed);
  out(
    `${run.compose} (${run.service}, n8n ${run.version}): ${failed.length ? `${failed.length} check(s) FAILED: ${failed.map((c) => c.id).join(', ')}` : `all ${run.checks.length} checks passed`}; reports: check.json, check-junit.xml in ${dir}`,
  );
  return failed.length ? 1 : 0;
}
