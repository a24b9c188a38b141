// npm run bench -- --tests [--family <f1,f2>] [--n8n <v1,v2>] [--concurrency <n>]
// Times the test command itself, warm: `npm test` (typecheck, then vitest run) with the catalogue
// engine running the guide suites' stacks side by side. With --family only those guide suites run.
// Writes bench/tests.json and .md (bench/tests.<f1+f2>.* with --family, .<versions> with --n8n)
// and bench/latest.md: the wall time and its parts (typecheck, global setup, the files that start
// stacks of their own, the guide suites collecting the engine's results), the test counts, the
// scenarios' own time per version, the stacks side by side, and what else loaded the machine; the
// n8n boots of every process (the boot log, AUTHLAB_BOOT_LOG, and compose's from the engine's events)
// against the boot bound, and per file (by the time they became ready), in bench/tests*.boots.jsonl too.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { FAMILIES, type FamilyId } from '../src/families/registry.ts';
import { GUIDE_SUITES_FILE } from '../suites/support/sequencer.ts';
import { docker } from '../src/docker/docker.ts';
import { BOOT_LOG_ENV, readBootLog } from '../src/parts/stack/boot-log.ts';
import { LABEL_PROJECT, LABEL_RUN } from '../src/docker/labels.ts';
import { bootsByFile, boundRows, summariseBoots, timedBoot, wallOverBound } from './boot-bound.ts';
import { watchComposeBoots } from './compose-boots.ts';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
  startTime: number;
  testResults: Array<{ name: string; startTime: number; endTime: number; status: string; assertionResults: Array<{ status: string }> }>;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const log = (l: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${l}\n`);

/** The machine's CPU time so far, busy and in all (from /proc/stat), in clock ticks. */
async function cpuTicks(): Promise<{ busy: number; total: number }> {
  const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** This machine's load while the run goes: the load average, CPU busy, and the containers of this run and of everyone else (other agents, sub-runs). */
export function loadSampler(runId: string) {
  const samples: Array<{ load: number; ours: number; others: number }> = [];
  const cpuAtStart = cpuTicks();
  const sample = async () => {
    const list = await (await docker()).listContainers({ filters: JSON.stringify({ label: [LABEL_PROJECT] }) }).catch(() => []);
    const ours = list.filter((c) => c.Labels[LABEL_RUN] === runId).length;
    samples.push({ load: loadavg()[0]!, ours, others: list.length - ours });
  };
  const timer = setInterval(() => void sample(), 10_000);
  return {
    sample,
    stop: async () => {
      clearInterval(timer);
      const [from, to] = [await cpuAtStart, await cpuTicks()];
      const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 10) / 10;
      return {
        meanLoad1m: mean(samples.map((s) => s.load)),
        cpuBusyPercent: Math.round(((to.busy - from.busy) / Math.max(1, to.total - from.total)) * 100),
        peakContainersOfThisRun: Math.max(0, ...samples.map((s) => s.ours)),
        meanOtherContainers: mean(samples.map((s) => s.others)),
        peakOtherContainers: Math.max(0, ...samples.map((s) => s.others)),
      };
    },
  };
}

/** Runs `npm test` with extra vitest arguments; returns its exit code and when vitest itself started (after the typecheck). */
function npmTest(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<{ code: number; vitestStartedAt?: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['test', '--', ...args], { env: { ...process.env, ...env } });
    let output = '';
    let vitestStartedAt: number | undefined;
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      process.stderr.write(text);
      if (!vitestStartedAt && /\bRUN\b.*v\d+\.\d+/.test(text)) vitestStartedAt = Date.now();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', async (code) => {
      await writeFile(logFile, output);
      resolve({ code: code ?? 1, vitestStartedAt, output });
    });
  });
}

/** `-t` for these families' guide suites: their describes start with the family's title. */
function familiesPattern(families: string[]): string {
  const titles = families.map((f) => FAMILIES[f as FamilyId]?.title ?? f).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(${titles.join('|')}) > `;
}

export async function benchTestRun(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { tests: { type: 'boolean' }, family: { type: 'string' }, n8n: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const families = values.family?.split(',').filter(Boolean);
  const runId = `bench-tests-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const jsonFile = join(tmpdir(), `${runId}.vitest.json`);
  const logFile = join(tmpdir(), `${runId}.log`);
  const bootLog = join(tmpdir(), `${runId}.boots.jsonl`);
  const env: NodeJS.ProcessEnv = {
    AUTHLAB_RUN_ID: runId,
    [BOOT_LOG_ENV]: bootLog,
    ...(values.n8n ? { AUTHLAB_N8N_VERSIONS: values.n8n } : {}),
    ...(values.concurrency ? { AUTHLAB_CONCURRENCY: values.concurrency } : {}),
  };
  const args = [
    '--reporter=default',
    '--reporter=junit',
    '--reporter=json',
    '--reporter=./suites/support/time-summary.ts',
    '--outputFile.junit=test-results/vitest-junit.xml',
    `--outputFile.json=${jsonFile}`,
    ...(families ? [GUIDE_SUITES_FILE, '-t', familiesPattern(families)] : []),
  ];
  const sampler = loadSampler(runId);
  await sampler.sample();
  const before = { load1m: loadavg()[0]!, ...(await sampler.stop()) };
  const load = loadSampler(runId);
  log(`npm test ${args.join(' ')} (run ${runId}; load ${before.load1m.toFixed(1)}, ${before.peakOtherContainers} other container(s) running)`);
  const compose = await watchComposeBoots();
  const started = Date.now();
  const { code, vitestStartedAt } = await npmTest(args, env, logFile);
  const wallMs = Date.now() - started;
  const machine = await load.stop();
  const composeBoots = compose.stop();
  const bootRecords = readBootLog(bootLog);
  const json = JSON.parse(await readFile(jsonFile, 'utf8')) as VitestJson;
  const report = JSON.parse(await readFile('authlab-reports/report.json', 'utf8').catch(() => '{"run":{"results":[]}}')) as {
    run: { results: Array<{ version: string; durationMs: number }> };
  };

  const files = [...json.testResults].sort((a, b) => a.startTime - b.startTime);
  // The guide suites: the file whose describes the catalogue engine serves.
  const isGuide = (name: string) => name.endsWith(`/${GUIDE_SUITES_FILE}`);
  const guides = files.filter((f) => isGuide(f.name));
  const others = files.filter((f) => !isGuide(f.name));
  const firstFileAt = files[0]?.startTime ?? json.startTime;
  const guidesFrom = guides[0]?.startTime ?? started + wallMs;
  const versions = [...new Set(report.run.results.map((r) => r.version))];
  const bound = summariseBoots(bootRecords, availableParallelism(), composeBoots);
  const bootsPerFile = bootsByFile(
    [...bootRecords.map(timedBoot), ...composeBoots.map((c) => ({ atMs: c.atMs, source: 'compose' as const }))],
    files.map((f) => ({ file: relative(process.cwd(), f.name), startTime: f.startTime, endTime: f.endTime })),
  );
  const result = {
    date: new Date().toISOString(),
    command: `npm test -- ${args.filter((a) => !a.startsWith('--outputFile.json')).join(' ')}`,
    env: Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'AUTHLAB_RUN_ID' && k !== BOOT_LOG_ENV)),
    host: { cpus: cpus().length },
    exitCode: code,
    wallS: seconds(wallMs),
    parts: {
      typecheckS: vitestStartedAt ? seconds(vitestStartedAt - started) : undefined,
      globalSetupAndCollectS: seconds(firstFileAt - json.startTime),
      otherFilesS: seconds(guidesFrom - firstFileAt),
      guideSuitesS: seconds(Math.max(...files.map((f) => f.endTime), guidesFrom) - guidesFrom),
      otherFiles: Object.fromEntries(others.map((f) => [relative(process.cwd(), f.name), seconds(f.endTime - f.startTime)])),
      guideSuites: Object.fromEntries(guides.map((f) => [relative(process.cwd(), f.name), seconds(f.endTime - f.startTime)])),
    },
    tests: { total: json.numTotalTests, passed: json.numPassedTests, skipped: json.numPendingTests, failed: json.numFailedTests },
    scenarios: Object.fromEntries(
      versions.map((v) => {
        const own = report.run.results.filter((r) => r.version === v);
        return [v, { runs: own.length, ownTimeSummedS: seconds(own.reduce((t, r) => t + r.durationMs, 0)) }];
      }),
    ),
    machine: { loadBefore1m: before.load1m, otherContainersBefore: before.peakOtherContainers, ...machine },
    bootBound: {
      ...bound,
      wallS: seconds(wallMs),
      wallOverBound: wallOverBound(seconds(wallMs), bound.boundS),
      composeCpu: "compose's n8n containers are counted from the engine's start events and charged the median boot CPU of their version's logged boots",
    },
    bootsPerFile,
  };
  const name = `bench/tests${families ? `.${families.join('+')}` : ''}${values.n8n ? `.${values.n8n.replaceAll(',', '+')}` : ''}`;
  await mkdir('bench', { recursive: true });
  await writeFile(`${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await copyFile(bootLog, `${name}.boots.jsonl`).catch(() => writeFile(`${name}.boots.jsonl`, ''));
  const p = result.parts;
  const page = [
    `# Benchmark: the test run${families ? `, guide suites ${families.join(', ')}` : ''}${values.n8n ? `, n8n ${values.n8n}` : ''}, ${result.date.slice(0, 10)}, ${result.host.cpus} cores`,
    '',
    `\`${result.command}\`${
      Object.keys(result.env).length
        ? ` with ${Object.entries(result.env)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : ''
    }, images built before (warm).`,
    '',
    '| measure | value |',
    '|---|---|',
    `| wall time, \`npm test\` start to exit | ${result.wallS} s (${Math.round(result.wallS / 6) / 10} min), exit ${code} |`,
    `| typecheck | ${p.typecheckS ?? '-'} s |`,
    `| global setup (sweep, images) and collecting | ${p.globalSetupAndCollectS} s |`,
    `| the other files (own stacks, CLI, unit), one after another while the engine runs | ${p.otherFilesS} s |`,
    `| the guide suites, from their first test to the last result | ${p.guideSuitesS} s |`,
    `| tests passed / skipped / failed (of ${result.tests.total}) | ${result.tests.passed} / ${result.tests.skipped} / ${result.tests.failed} |`,
    ...boundRows(bound, result.wallS, "in the whole command (every process; compose's from the engine's events, charged the median boot CPU)"),
    ...versions.map((v) => `| scenarios on n8n ${v}: runs, their own time summed | ${result.scenarios[v]!.runs}, ${result.scenarios[v]!.ownTimeSummedS} s |`),
    `| containers of this run at most (the engine's stacks and the stack kit's) | ${machine.peakContainersOfThisRun} |`,
    `| machine load: 1-min load average before / mean during; CPU busy during (all processes) | ${before.load1m.toFixed(1)} / ${machine.meanLoad1m}; ${machine.cpuBusyPercent} % |`,
    `| other containers (other agents, the CLI's own runs): before / mean / peak | ${before.peakOtherContainers} / ${machine.meanOtherContainers} / ${machine.peakOtherContainers} |`,
    '',
    '| file | wall time | n8n boots ready in its time: vitest worker (the engine and its own) / CLI children / compose |',
    '|---|---|---|',
    ...[
      ...Object.entries(p.otherFiles),
      ...Object.entries(p.guideSuites),
      ...Object.keys(bootsPerFile)
        .filter((f) => f.startsWith('('))
        .map((f) => [f, undefined] as const),
    ].map(([file, s]) => {
      const b = bootsPerFile[file];
      return `| ${file} | ${s === undefined ? '-' : `${s} s`} | ${b ? `${b.worker} / ${b.cli} / ${b.compose}` : '0'} |`;
    }),
    '',
  ].join('\n');
  await writeFile(`${name}.md`, page);
  await writeFile('bench/latest.md', page);
  log(`written ${name}.json, ${name}.md and bench/latest.md (vitest output: ${logFile})`);
  return code;
}
