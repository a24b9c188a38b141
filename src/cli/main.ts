import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeExchange } from '../client/exchange.ts';
import { resolveN8nImage } from '../images/n8n-image.ts';
import { DEFAULT_N8N_VERSIONS, resolveN8nVersion, UnknownN8nVersionError } from '../images/n8n-versions.ts';
import { failureOf } from '../report/failure.ts';
import { runReports } from '../report/run-reports.ts';
import { describeDiff, diffLedgers, LedgerReadError, pairLabel, readLedger } from '../report/ledger-diff.ts';
import { verdictTable } from '../report/table.ts';
import { briefHeadline } from '../scenarios/verdict.ts';
import { selectScenarios, UnknownSelectionError } from '../scenarios/catalogue.ts';
import { defaultConcurrency, runCatalogue } from '../scenarios/plan.ts';
import { runUpgradeCheck } from '../upgrade/upgrade-check.ts';
import { toUpgradeJson, toUpgradeJUnit, toUpgradeMarkdown } from '../report/upgrade.ts';
import type { ScenarioResult } from '../scenarios/types.ts';
import { inspectApiKey } from '../inspect/key-inspector.ts';
import { mask, registerSecret } from '../secrets.ts';
import { cleanupOnSignals, sweep } from '../stack/cleanup.ts';
import { docker, DockerUnavailableError, EngineGoneError } from '../stack/docker.ts';
import { PublishedPortUnreachableError } from '../stack/port-check.ts';
import { parse, splitList, UsageError } from './args.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { HELP } from './help.ts';
import { doctorCommand, readSecretFile } from './doctor-command.ts';
import { checkCommand } from './check-command.ts';
import { UnreproducibleError } from '../check/compose.ts';
import { labCommand, labServeCommand } from './lab-command.ts';
import { LabError } from '../lab/lab-client.ts';
import { HostPortError } from '../stack/host-port.ts';
import { TOOL_VERSION } from './version.ts';
import { setReportsDir } from '../report/screenshot-files.ts';

const out = (line: string) => process.stdout.write(`${mask(line)}\n`);
const progress = (line: string) => process.stderr.write(`  … ${mask(line)}\n`);

/** Versions as the user wrote them (1.123.x, latest, ...) resolved, saying what each became. */
async function resolvedVersions(specs: string[], dedupe = true): Promise<string[]> {
  const resolved: string[] = [];
  for (const spec of specs) {
    const version = await resolveN8nVersion(spec);
    if (version !== spec) progress(`n8n ${spec}: ${version}`);
    resolved.push(version);
  }
  return dedupe ? [...new Set(resolved)] : resolved;
}

async function runCommand(values: ReturnType<typeof parse>['values']): Promise<number> {
  const asked = splitList(values.n8n);
  const selected = selectScenarios({ families: splitList(values.family), ids: splitList(values.only) });
  const versions = asked.length ? await resolvedVersions(asked) : [DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!];
  await docker();
  cleanupOnSignals();
  const images = imageOptionsFromFlags(values, progress);
  setReportsDir(values.out ?? 'authlab-reports'); // screenshots are saved there as the scenarios take them
  out(`authlab ${TOOL_VERSION}: ${selected.length} scenario(s) on n8n ${versions.join(', ')}`);
  const total = selected.length * versions.length;
  let done = 0;
  const concurrency = values.concurrency === undefined ? defaultConcurrency() : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency takes a whole number >= 1 (got ${values.concurrency})`);
  const run = await runCatalogue({
    versions,
    scenarios: selected,
    images,
    progress,
    concurrency,
    onResult: (r: ScenarioResult) => {
      done++;
      out(
        `[${done}/${total}] n8n ${r.version} ${r.id}: ${briefHeadline(r.verdict.kind, r.verdict.answers)}${failureOf(r) ? ' — FAILED' : ''} (${(r.durationMs / 1000).toFixed(1)} s)`,
      );
      out(`    ${r.verdict.summary.slice(0, 300)}`);
      const failure = failureOf(r);
      if (failure) for (const e of r.observation.symptom) out(`    ${describeExchange(e).slice(0, 300)}`);
    },
  });
  const dir = resolve(values.out ?? 'authlab-reports');
  await mkdir(dir, { recursive: true });
  const { ledger, files } = runReports(run, TOOL_VERSION);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  out('');
  out(verdictTable(ledger));
  out('');
  out(`${run.results.length} scenario run(s), ${run.boots} n8n boot(s); reports: ${Object.keys(files).join(', ')} in ${dir}`);
  const failed = run.results.filter((r) => failureOf(r) !== undefined);
  if (failed.length) out(`${failed.length} scenario(s) failed: ${failed.map((r) => `${r.id}@${r.version}`).join(', ')}`);
  return failed.length ? 1 : 0;
}

async function upgradeCommand(values: ReturnType<typeof parse>['values']): Promise<number> {
  const [from, to] = (await resolvedVersions(
    [values.from ?? DEFAULT_N8N_VERSIONS[0]!, values.to ?? DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!],
    false,
  )) as [string, string];
  if (from === to) throw new UsageError(`--from and --to are both ${from}; give two versions`);
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

/** Exit 0: nothing changed; 1: a row, verdict, behaviour or the verified fix changed. */
async function diffCommand(files: string[]): Promise<number> {
  const [before, after] = files;
  if (before === undefined || after === undefined || files.length > 2)
    throw new UsageError('diff needs two ledger files: authlab diff <old ledger.json> <new ledger.json>');
  const diff = diffLedgers(await readLedger(before), await readLedger(after));
  for (const line of describeDiff(diff)) out(line);
  if (diff.changes.length === 0) out(`nothing changed (${diff.pairs.map(pairLabel).join(', ') || 'no version compared'})`);
  return diff.changes.length ? 1 : 0;
}

async function inspectKeyCommand(values: ReturnType<typeof parse>['values']): Promise<number> {
  const fromEnv = values['key-env'] ? process.env[values['key-env']] : undefined;
  if (values['key-env'] && fromEnv === undefined) throw new UsageError(`the environment variable ${values['key-env']} is not set`);
  // The file is read byte for byte: a trailing newline in it is a finding, not something to hide.
  const key = fromEnv ?? (values['key-file'] ? await readFile(values['key-file'], 'utf8') : undefined);
  if (key === undefined) throw new UsageError('inspect-key needs --key-file <file> or --key-env <VAR>');
  registerSecret(key, 'api-key');
  const r = await inspectApiKey(key, {
    encryptionKey: await readSecretFile(values['encryption-key-file'], 'encryption-key'),
    jwtSecret: await readSecretFile(values['jwt-secret-file'], 'jwt-secret'),
  });
  out(`kind: ${r.kind}${r.algorithm ? ` (${r.algorithm})` : ''}`);
  if (r.claims) out(`claims: sub ${r.claims.sub ?? '-'}, iss ${r.claims.iss ?? '-'}, aud ${String(r.claims.aud ?? '-')}`);
  if (r.iat) out(`iat: ${r.iat.at} (${r.iat.aheadBySeconds} s from this machine's clock)`);
  if (r.exp) out(`exp: ${r.exp.at} (${r.exp.expired ? 'expired' : 'valid'} by this machine's clock)`);
  for (const f of r.findings) out(`- ${f}`);
  return r.kind === 'jwt' && r.signature?.valid !== false && r.strayCharacters.length === 0 && !r.exp?.expired ? 0 : 1;
}

/**
 * Runs a command that starts containers: first removes what a killed earlier run left (its process
 * is gone), and at the end whatever of this process's is left (the data volume a failed n8n start
 * keeps for another try, say), whether the command succeeded or not.
 */
async function sweptAfter(command: () => Promise<number>): Promise<number> {
  const left = await sweep({ scope: 'orphans' }).catch(() => undefined);
  if (left && left.containers + left.networks + left.volumes > 0)
    progress(`removed what a killed earlier run left: ${left.containers} container(s), ${left.networks} network(s), ${left.volumes} volume(s)`);
  try {
    return await command();
  } finally {
    await sweep({ scope: 'this-process' }).catch(() => undefined);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const command = positionals[0] ?? (values.help ? 'help' : undefined);
  switch (command) {
    case 'run':
      if (values.help) break;
      return sweptAfter(() => runCommand(values));
    case 'list': {
      for (const s of selectScenarios({ families: splitList(values.family), sections: splitList(values.section) }))
        out(`${s.id.padEnd(44)} [${s.guide.section}] ${s.title}`);
      return 0;
    }
    case 'images': {
      if (!splitList(values.n8n).length) throw new UsageError('images needs --n8n <v1,v2>');
      const versions = await resolvedVersions(splitList(values.n8n));
      await docker();
      const opts = imageOptionsFromFlags(values, progress);
      for (const v of versions) out(`n8n ${v}: ${await resolveN8nImage(v, opts)}`);
      return 0;
    }
    case 'inspect-key':
      return inspectKeyCommand(values);
    case 'lab':
      if (values.help) break;
      return labCommand(positionals.slice(1), values, out, progress);
    case 'lab-serve':
      return labServeCommand(positionals.slice(1), values);
    case 'check':
      if (values.help) break;
      return sweptAfter(() => checkCommand(values, out, progress));
    case 'doctor':
      if (values.help) break;
      return doctorCommand(values, out, (line) => process.stderr.write(`authlab: ${line}\n`));
    case 'upgrade':
      if (values.help) break;
      return sweptAfter(() => upgradeCommand(values));
    case 'diff':
      if (values.help) break;
      return diffCommand(positionals.slice(1));
    case 'sweep': {
      const r = await sweep({ scope: values.all ? 'all' : 'orphans' });
      out(`removed ${r.containers} container(s), ${r.networks} network(s), ${r.volumes} volume(s)`);
      return 0;
    }
    case 'help':
    case undefined:
      break;
    default:
      throw new UsageError(`unknown command "${command}"; commands: run, check, upgrade, diff, doctor, lab, list, images, inspect-key, sweep, help`);
  }
  out(HELP);
  return 0;
}

export async function cli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    const known =
      err instanceof UsageError ||
      err instanceof LedgerReadError ||
      err instanceof UnknownN8nVersionError ||
      err instanceof UnknownSelectionError ||
      err instanceof DockerUnavailableError ||
      err instanceof PublishedPortUnreachableError ||
      err instanceof LabError ||
      err instanceof HostPortError ||
      err instanceof UnreproducibleError ||
      err instanceof EngineGoneError;
    process.stderr.write(`authlab: ${mask(err instanceof Error ? err.message : String(err))}\n`);
    if (!known && err instanceof Error && err.stack) process.stderr.write(`${mask(err.stack.split('\n').slice(1, 6).join('\n'))}\n`);
    process.exitCode = known ? 2 : 1;
    // Calls to an engine that went away may never settle: end now rather than wait on them.
    if (err instanceof EngineGoneError) process.exit(2);
  }
}
