// npm run versions-ledger [-- --n8n <v1,...>] [--family <f1,f2>] [--only <ids>] [--concurrency <n>] [--out docs/versions]
// One command for the ledger across versions (six by default: three 1.x, three 2.x): runs the
// catalogue on every version in one `authlab run`, stacks of different versions side by side as
// memory allows, then writes to --out the ledger (ledger.json, ledger.html and its screenshots),
// summary.md (counts per version and the rows that differ) and run.md (the command, its wall time,
// n8n boots, the machine's load and memory while it ran). Written to docs/versions, the published
// ledger, it also derives fixtures/labs/lab-versions.json (where each lab breaks, for `lab list`).
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { labScenarios } from '../src/features/lab/labs.ts';
import { LAB_VERSIONS_FILE, labVersionsJson, labVersionsOf, PUBLISHED_LEDGER } from '../src/features/lab/lab-versions.ts';
import { readLedger } from '../src/engine/report/ledger-diff.ts';
import { ledgerSummaryMarkdown } from '../src/engine/report/ledger-summary.ts';

/** Three 1.x and three 2.x releases this registry serves: the defaults, the last 1.x, an early and a middle 2.x. */
const SIX_VERSIONS = ['1.110.1', '1.116.2', '1.123.81', '2.8.4', '2.30.8', '2.41.0'];
/** About what one stack (n8n with its proxy, database and mock APIs) holds at its peak. */
const STACK_BYTES = 3 * 2 ** 30;

const { values } = parseArgs({
  options: {
    n8n: { type: 'string' },
    family: { type: 'string' },
    only: { type: 'string' },
    concurrency: { type: 'string' },
    out: { type: 'string', default: 'docs/versions' },
    work: { type: 'string', default: 'authlab-reports/versions' },
  },
});
const versions = values.n8n?.split(',').filter(Boolean) ?? SIX_VERSIONS;
const concurrency = values.concurrency ?? String(Math.max(1, Math.min(4, versions.length, Math.floor(totalmem() / STACK_BYTES))));
const runArgs = ['run', '--n8n', versions.join(','), '--concurrency', concurrency, '--out', values.work!];
if (values.family) runArgs.push('--family', values.family);
if (values.only) runArgs.push('--only', values.only);

const log = (l: string) => process.stderr.write(`[versions-ledger ${new Date().toISOString().slice(11, 19)}] ${l}\n`);
const minutes = (ms: number) => `${Math.round(ms / 6000) / 10} min`;

function machineSampler() {
  const samples: Array<{ load: number; usedBytes: number }> = [];
  const sample = () => samples.push({ load: loadavg()[0]!, usedBytes: totalmem() - freemem() });
  sample();
  const timer = setInterval(sample, 10_000);
  return () => {
    clearInterval(timer);
    const meanLoad = samples.reduce((a, s) => a + s.load, 0) / samples.length;
    const peakUsed = Math.max(...samples.map((s) => s.usedBytes));
    return { meanLoad: Math.round(meanLoad * 10) / 10, peakUsedGiB: Math.round((peakUsed / 2 ** 30) * 10) / 10 };
  };
}

await rm(values.work!, { recursive: true, force: true });
log(`authlab ${runArgs.join(' ')} (n8n ${versions.join(', ')}; ${concurrency} stacks side by side)`);
const started = Date.now();
const stopSampling = machineSampler();
const exitCode = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, ['bin/authlab.js', ...runArgs], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.once('SIGINT', forward).once('SIGTERM', forward);
  child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
});
const wallMs = Date.now() - started;
const machine = stopSampling();
if (exitCode === 2 || exitCode === 130) process.exit(exitCode);

const ledger = await readLedger(join(values.work!, 'ledger.json'));
const report = JSON.parse(await readFile(join(values.work!, 'report.json'), 'utf8')) as { run: { boots: number; results: unknown[] } };
await mkdir(values.out!, { recursive: true });
await rm(join(values.out!, 'screenshots'), { recursive: true, force: true });
for (const f of ['ledger.json', 'ledger.html', 'ledger.md', 'ledger-evidence.html', 'ledger-evidence.md'])
  await cp(join(values.work!, f), join(values.out!, f));
await cp(join(values.work!, 'screenshots'), join(values.out!, 'screenshots'), { recursive: true }).catch(() => undefined);
await writeFile(join(values.out!, 'summary.md'), ledgerSummaryMarkdown(ledger));
// `authlab lab list` says where each lab breaks from the published ledger, shipped as a file of its own.
if (join(values.out!, 'ledger.json') === join(PUBLISHED_LEDGER)) await writeFile(LAB_VERSIONS_FILE, labVersionsJson(labVersionsOf(ledger, labScenarios())));
const command = `npm run versions-ledger --${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
await writeFile(
  join(values.out!, 'run.md'),
  [
    `# How this ledger was made`,
    '',
    '```sh',
    command,
    `# = authlab ${runArgs.join(' ')}`,
    '```',
    '',
    '| measure | value |',
    '|---|---|',
    `| date | ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC |`,
    `| n8n versions | ${versions.join(', ')} |`,
    `| scenario runs | ${report.run.results.length} (${ledger.rows.length} rows) |`,
    `| wall time | ${minutes(wallMs)} |`,
    `| stacks side by side | ${concurrency} |`,
    `| n8n boots | ${report.run.boots} |`,
    `| exit code of the run | ${exitCode} |`,
    `| machine: mean 1-min load; peak memory in use (all processes) | ${machine.meanLoad}; ${machine.peakUsedGiB} GiB of ${Math.round(totalmem() / 2 ** 30)} GiB |`,
    '',
  ].join('\n'),
);
log(`${report.run.results.length} runs on ${versions.length} versions in ${minutes(wallMs)}; ledger, summary.md and run.md in ${values.out}`);
process.exit(exitCode);
