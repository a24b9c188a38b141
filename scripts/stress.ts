// npm run stress [-- --cores <n>] [--minutes <m>]
// A second CPU-heavy load for the loaded test runs (docs/performance.md): <n> worker threads, each a
// busy loop on one core, for <m> minutes (default: 1 core, 30 minutes), then exits; Ctrl-C stops it
// at once. Say what it does on stderr, once a minute the CPU time it burnt.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Spins until `until` (epoch ms), in slices short enough to notice a stop message. */
function spin(until: number): void {
  let stop = false;
  parentPort?.on('message', () => (stop = true));
  const slice = () => {
    const end = Math.min(until, Date.now() + 200);
    let x = 0;
    while (Date.now() < end) x = (x * 31 + 7) % 1_000_003;
    if (stop || Date.now() >= until) return void parentPort?.close();
    setImmediate(slice);
  };
  slice();
}

function fail(message: string): never {
  process.stderr.write(`stress: ${message}\n`);
  process.exit(2);
}

function positive(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > max) fail(`--${name} takes a number from above 0 to ${max}, not "${text}"`);
  return n;
}

async function main(): Promise<void> {
  let values: { cores?: string; minutes?: string };
  try {
    ({ values } = parseArgs({ options: { cores: { type: 'string' }, minutes: { type: 'string' } } }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const cores = Math.floor(positive('cores', values.cores, 1, availableParallelism() * 4));
  if (cores < 1) fail(`--cores takes a whole number of cores, not "${values.cores}"`);
  const minutes = positive('minutes', values.minutes, 30, 24 * 60);
  const until = Date.now() + minutes * 60_000;
  process.stderr.write(
    `stress: ${cores} busy thread(s) of ${availableParallelism()} core(s), for ${minutes} min (until ${new Date(until).toISOString().slice(11, 19)} UTC)\n`,
  );
  const workers = Array.from({ length: cores }, () => new Worker(new URL(import.meta.url), { workerData: { until } }));
  const stop = () => {
    for (const w of workers) w.postMessage('stop');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = process.cpuUsage();
  const ticker = setInterval(() => {
    const cpu = process.cpuUsage(started);
    process.stderr.write(`stress: ${Math.round((cpu.user + cpu.system) / 1e6)} s of CPU so far\n`);
  }, 60_000);
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
  clearInterval(ticker);
  const cpu = process.cpuUsage(started);
  process.stderr.write(`stress: done, ${Math.round((cpu.user + cpu.system) / 1e6)} s of CPU\n`);
}

if (isMainThread) await main();
else spin((workerData as { until: number }).until);
