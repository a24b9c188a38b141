// npm run bench [-- --n8n <version>] [--family <f1,f2>] [--cold] [--concurrency <n>] [--runs <n>] [--label <name>]
// Writes bench/<version>.json and .md (bench/<version>.<f1+f2>.* with --family, .<name> with --label), the first run's
// boot log (bench/<...>.boots.jsonl) and bench/latest.md: the n8n boots against the boot bound (scripts/boot-bound.ts), image build times (cold only with --cold: it
// rebuilds without cache, minutes), n8n boot-to-ready (median of 3), the whole catalogue's wall time
// against its distinct stacks' boot times plus the scenarios' own time,
// n8n boots, peak memory (this process and the run's containers), and with --runs N the catalogue
// N times in a row with each scenario's verdict compared across the runs (a flake differs), and
// per family its scenarios, their time summed and the stacks they used.
// npm run bench -- --tests [...]: the test run itself instead (scripts/bench-tests.ts).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveN8nImage } from '../src/parts/images/n8n-image.ts';
import { DEFAULT_N8N_VERSIONS } from '../src/parts/images/n8n-versions.ts';
import { imageOptionsFromEnv } from '../src/parts/images/options.ts';
import { selectScenarios } from '../src/families/registry.ts';
import { StackPool } from '../src/engine/stack-pool.ts';
import type { ScenarioResult } from '../src/core/types.ts';
import { failureOf } from '../src/engine/report/failure.ts';
import { CELL_VERDICTS } from '../src/engine/report/ledger.ts';
import { defaultConcurrency, planGroups, runCatalogue } from '../src/engine/plan.ts';
import { cleanupOnSignals, sweep } from '../src/docker/cleanup.ts';
import { docker } from '../src/docker/docker.ts';
import { LABEL_RUN, RUN_ID } from '../src/docker/labels.ts';
import { N8nContainer, n8nBootCount } from '../src/parts/stack/n8n-container.ts';
import { BOOT_LOG_ENV, bootLogWritten, readBootLog } from '../src/parts/stack/boot-log.ts';
import { boundRows, median, summariseBoots, wallOverBound } from './boot-bound.ts';
import { loadSampler } from './bench-tests.ts';

if (process.argv.includes('--tests')) process.exit(await (await import('./bench-tests.ts')).benchTestRun(process.argv.slice(2)));
const { values } = parseArgs({
  options: {
    n8n: { type: 'string' },
    family: { type: 'string' },
    cold: { type: 'boolean' },
    concurrency: { type: 'string' },
    runs: { type: 'string' },
    label: { type: 'string' },
  },
});
const families = values.family?.split(',').filter(Boolean);
const scenarios = selectScenarios({ families });
const runs = Number(values.runs ?? 1);
const outcomeOf = (r: ScenarioResult) => `${r.verdict.kind}${failureOf(r) ? ' FAILED' : ''}`;
const version = values.n8n ?? DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!;
const log = (l: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${l}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = Date.now();
  return [await fn(), Date.now() - t];
}

/** Samples the memory of this run's containers and of this process every 2 s. */
function memorySampler() {
  let containersPeak = 0;
  let processPeak = 0;
  const timer = setInterval(async () => {
    processPeak = Math.max(processPeak, process.memoryUsage().rss);
    const engine = await docker();
    const list = await engine.listContainers({ filters: JSON.stringify({ label: [`${LABEL_RUN}=${RUN_ID}`] }) });
    const usage = await Promise.all(
      list.map(async (c) => ((await engine.getContainer(c.Id).stats({ stream: false })) as { memory_stats?: { usage?: number } }).memory_stats?.usage ?? 0),
    );
    containersPeak = Math.max(
      containersPeak,
      usage.reduce((a, b) => a + b, 0),
    );
  }, 2000);
  return { stop: () => (clearInterval(timer), { containersPeakMiB: Math.round(containersPeak / 2 ** 20), processPeakMiB: Math.round(processPeak / 2 ** 20) }) };
}

cleanupOnSignals();
const images = imageOptionsFromEnv({ progress: log });
const result: Record<string, unknown> = {
  version,
  families: families ?? 'all',
  date: new Date().toISOString(),
  host: { cpus: (await import('node:os')).cpus().length, cores: availableParallelism() },
};
const benchFile = `bench/${version}${families ? `.${families.join('+')}` : ''}${values.label ? `.${values.label}` : ''}.json`;
/** Every n8n boot of a part of the bench, one JSON line each (src/parts/stack/boot-log.ts). */
const bootLog = (part: string) => join(tmpdir(), `authlab-bench-${process.pid}-${part}.boots.jsonl`);

if (values.cold) {
  log('cold image build (no cache)');
  const [, coldMs] = await timed(() => resolveN8nImage(version, { ...images, noCache: true }));
  result.coldImageBuildS = seconds(coldMs);
  result.coldImageBuildDate = result.date;
} else {
  // A cold build takes minutes: keep the last one measured, with its date.
  const previous = await readFile(`bench/${version}.json`, 'utf8').then(
    (t) => JSON.parse(t) as Record<string, unknown>,
    () => undefined,
  );
  if (previous?.coldImageBuildS !== undefined) {
    result.coldImageBuildS = previous.coldImageBuildS;
    result.coldImageBuildDate = previous.coldImageBuildDate ?? previous.date;
  }
}
const [image, warmMs] = await timed(() => resolveN8nImage(version, images));
result.image = image;
result.warmImageResolveS = seconds(warmMs);

const boots: number[] = [];
process.env[BOOT_LOG_ENV] = bootLog('single');
for (let i = 0; i < 3; i++) {
  const [started, ms] = await timed(() => new N8nContainer(image, version, 'bench').withLogLevel('info').start());
  boots.push(ms);
  await started.stop({ remove: true });
}
await bootLogWritten();
const singleCpu = readBootLog(bootLog('single')).flatMap((r) => (r.cpuS === null ? [] : [r.cpuS]));
result.bootToReadyS = { runs: boots.map(seconds), median: seconds([...boots].sort((a, b) => a - b)[1]!), cpuS: singleCpu, medianCpuS: median(singleCpu) };

const sampler = memorySampler();
const load = loadSampler(RUN_ID);
const loadBefore = loadavg()[0]!;
await load.sample();
process.env[BOOT_LOG_ENV] = bootLog('run');
const bootsBefore = n8nBootCount();
const concurrency = values.concurrency ? Number(values.concurrency) : defaultConcurrency();
const [run, wallMs] = await timed(() => runCatalogue({ n8n: [{ version, image }], scenarios, images, progress: log, concurrency }));
const memory = sampler.stop();
const machine = await load.stop();
const firstRunBoots = n8nBootCount() - bootsBefore;
await bootLogWritten();
delete process.env[BOOT_LOG_ENV];
const bootRecords = readBootLog(bootLog('run'));
const bound = summariseBoots(bootRecords, availableParallelism());
await rm(bootLog('single'), { force: true });
// Reliability: the same catalogue again (--runs N in all), each scenario's verdict compared across runs.
const outcomes = new Map(run.results.map((r) => [r.id, [outcomeOf(r)]]));
const repeatWallS: number[] = [];
for (let i = 2; i <= runs; i++) {
  log(`run ${i}/${runs} of the catalogue`);
  const [again, againMs] = await timed(() => runCatalogue({ n8n: [{ version, image }], scenarios, images, progress: () => undefined, concurrency }));
  repeatWallS.push(seconds(againMs));
  for (const r of again.results) outcomes.set(r.id, [...(outcomes.get(r.id) ?? []), outcomeOf(r)]);
}
const differing = [...outcomes].filter(([, o]) => new Set(o).size > 1);
const failing = [...outcomes].filter(([, o]) => o.some((x) => x.endsWith('FAILED')));
const leftover = await sweep({ scope: 'this-run' });
result.reliability = {
  runs,
  wallS: [seconds(wallMs), ...repeatWallS],
  verdictDiffers: Object.fromEntries(differing),
  failed: Object.fromEntries(failing),
  leftBehindAfterRuns: leftover.containers + leftover.networks + leftover.volumes,
};
const slowest = [...run.results].sort((a, b) => b.durationMs - a.durationMs)[0];
const stackBootMs = (run.stacks ?? []).reduce((t, x) => t + x.ms, 0);
const scenarioMs = run.results.reduce((t, r) => t + r.durationMs, 0);
result.perFamily = Object.fromEntries(
  [...new Set(run.results.map((r) => r.family))].map((family) => {
    const own = run.results.filter((r) => r.family === family);
    const stacks = new Set(own.map((r) => StackPool.keyOf(version, scenarios.find((s) => s.id === r.id)!)));
    return [family, { scenarios: own.length, scenarioS: seconds(own.reduce((t, r) => t + r.durationMs, 0)), stacks: stacks.size }];
  }),
);
result.catalogue = {
  scenarios: run.results.length,
  concurrency,
  wallS: seconds(wallMs),
  distinctStacks: run.stacks?.length ?? 0,
  // What the plan asks for: one stack per distinct configuration (a scenario that changes its stack for good has one of its own).
  distinctConfigurations: planGroups(version, scenarios).length,
  stackBootS: seconds(stackBootMs),
  scenarioS: seconds(scenarioMs),
  // The bar: the wall time may be at most 1.5 x (distinct stacks' boot times + the scenarios' own time).
  wallOverBootsPlusScenarios: Math.round((wallMs / (stackBootMs + scenarioMs)) * 100) / 100,
  n8nBoots: firstRunBoots,
  slowest: slowest ? { id: slowest.id, s: seconds(slowest.durationMs) } : undefined,
  verdicts: Object.fromEntries(CELL_VERDICTS.map((k) => [k, run.results.filter((r) => r.verdict.kind === k).length]).filter(([, n]) => n)),
};
result.bootBound = { ...bound, wallS: seconds(wallMs), wallOverBound: wallOverBound(seconds(wallMs), bound.boundS) };
result.peakMemory = memory;
result.machine = { loadBefore1m: Math.round(loadBefore * 10) / 10, ...machine };

await mkdir('bench', { recursive: true });
await writeFile(benchFile, `${JSON.stringify(result, null, 2)}\n`);
await writeFile(benchFile.replace(/\.json$/, '.boots.jsonl'), bootRecords.map((r) => `${JSON.stringify(r)}\n`).join(''));
await rm(bootLog('run'), { force: true });
const perFamily = result.perFamily as Record<string, { scenarios: number; scenarioS: number; stacks: number }>;
const f = result.catalogue as {
  scenarios: number;
  concurrency: number;
  wallS: number;
  distinctStacks: number;
  distinctConfigurations: number;
  stackBootS: number;
  scenarioS: number;
  wallOverBootsPlusScenarios: number;
  n8nBoots: number;
  slowest?: { id: string; s: number };
};
const page = [
  `# Benchmark: n8n ${version}${families ? `, families ${families.join(', ')}` : ''}, ${String(result.date).slice(0, 10)}, ${(result.host as { cpus: number }).cpus} cores`,
  '',
  '| measure | value |',
  '|---|---|',
  `| cold image build | ${result.coldImageBuildS !== undefined ? `${result.coldImageBuildS} s (measured ${String(result.coldImageBuildDate).slice(0, 10)})` : 'not measured (run with --cold)'} |`,
  `| warm image resolve | ${result.warmImageResolveS} s |`,
  `| n8n boot to ready (median of 3), its CPU | ${(result.bootToReadyS as { median: number }).median} s, ${median(singleCpu) ?? '-'} s |`,
  `| ${families ? "these families'" : 'whole catalogue'} wall time (${f.scenarios} scenarios, ${f.concurrency} stack(s) side by side) | ${f.wallS} s |`,
  `| stacks booted / distinct stack configurations in the plan | ${f.distinctStacks} / ${f.distinctConfigurations} |`,
  `| the stacks' boot times summed / the scenarios' own time summed | ${f.stackBootS} s / ${f.scenarioS} s |`,
  `| wall time / (boots + scenarios), the bar is 1.5 | ${f.wallOverBootsPlusScenarios} |`,
  `| n8n boots in the first run (stacks that restart n8n count each start) | ${f.n8nBoots} |`,
  ...boundRows(bound, seconds(wallMs), 'in the first run (the boot log)'),
  `| machine load: 1-min load average before / mean during; CPU busy during (all processes); other containers mean / peak | ${Math.round(loadBefore * 10) / 10} / ${machine.meanLoad1m}; ${machine.cpuBusyPercent} %; ${machine.meanOtherContainers} / ${machine.peakOtherContainers} |`,
  `| slowest scenario | ${f.slowest ? `${f.slowest.id} (${f.slowest.s} s)` : '-'} |`,
  `| peak memory, containers / this process | ${memory.containersPeakMiB} MiB / ${memory.processPeakMiB} MiB |`,
  `| runs in a row / their wall times | ${runs} / ${[seconds(wallMs), ...repeatWallS].map((w) => `${w} s`).join(', ')} |`,
  `| scenarios whose verdict differed between runs | ${differing.length ? differing.map(([id, o]) => `${id} (${o.join(' / ')})`).join('; ') : 'none'} |`,
  `| scenarios that failed in any run | ${failing.length ? failing.map(([id, o]) => `${id} (${o.join(' / ')})`).join('; ') : 'none'} |`,
  `| left after the runs for the final sweep (data volumes failed n8n starts keep; \`authlab run\` sweeps them at its end) | ${leftover.containers + leftover.networks + leftover.volumes} |`,
  '',
  '| family | scenarios | their time summed (first run) | stacks they used |',
  '|---|---|---|---|',
  ...Object.entries(perFamily).map(([family, p]) => `| ${family} | ${p.scenarios} | ${p.scenarioS} s | ${p.stacks} |`),
  '',
].join('\n');
const pageFile = benchFile.replace(/\.json$/, '.md');
await writeFile(pageFile, page);
await writeFile('bench/latest.md', page);
log(`written ${benchFile}, ${pageFile} and bench/latest.md`);
process.exitCode = differing.length || failing.length ? 1 : 0;
