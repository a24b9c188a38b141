// node --experimental-strip-types scripts/lab-measure.ts [--only <id,id>]
// Measures what a workshop seat costs, one lab at a time on a warm machine (its images built):
// the time `authlab lab <id>` takes to its prompt, and the memory the lab's containers use right
// after (docker stats, summed); then `--down`. Each lab runs on the default version, or where the
// published ledger says the default shrugs its fault off, on the version `lab list` suggests.
// Writes fixtures/labs/lab-measured.json; labs not measured this time keep their earlier numbers.
// --seats n --only <id>: n seats of one lab started at once, each with its own AUTHLAB_HOME.
// --keep --only <id>: the lab left running after it was measured, to be driven as a learner would (then --down).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { DEFAULT_LAB_VERSION, planOf } from '../src/features/lab/lab-plan.ts';
import {
  LAB_MEASURED_FILE,
  type LabMeasurement,
  type LabMeasurements,
  labMeasurementsJson,
  readLabMeasurements,
  type SeatsMeasurement,
} from '../src/features/lab/lab-measured.ts';
import { readLabState } from '../src/features/lab/lab-state.ts';
import { readLabVersions } from '../src/features/lab/lab-versions.ts';
import { labScenarios } from '../src/features/lab/labs.ts';
import { LABEL_RUN } from '../src/docker/labels.ts';

const run = promisify(execFile);
const { values } = parseArgs({ options: { only: { type: 'string' }, seats: { type: 'string' }, keep: { type: 'boolean' } } });
const only = values.only?.split(',').filter(Boolean);
if (values.keep && only?.length !== 1) throw new Error('--keep takes --only with one lab');
// In the order --only gives: the labs a session needs first.
const labs = only ? only.map((id) => labScenarios().find((l) => l.id === id)!).filter(Boolean) : labScenarios();
const versions = readLabVersions();
const log = (l: string) => process.stderr.write(`[lab-measure ${new Date().toISOString().slice(11, 19)}] ${l}\n`);

const UNITS: Record<string, number> = { B: 1 / 2 ** 20, KiB: 1 / 1024, MiB: 1, GiB: 1024, kB: 1e3 / 2 ** 20, MB: 1e6 / 2 ** 20, GB: 1e9 / 2 ** 20 };

/** "412.3MiB / 23.47GiB" -> 412.3 */
function mib(usage: string): number {
  const m = /^([\d.]+)\s*([KMG]?i?B|[kMG]B)/.exec(usage.trim());
  if (!m || UNITS[m[2]!] === undefined) throw new Error(`docker stats gave ${JSON.stringify(usage)}`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** The lab's containers (its run's label) and the memory the running ones use now (a lab whose fault stops n8n keeps it stopped: 0). */
async function memoryOf(runId: string): Promise<{ mib: number; images: string[] }> {
  const ids = async (all: boolean) =>
    (await run('docker', ['ps', ...(all ? ['-a'] : []), '-q', '--filter', `label=${LABEL_RUN}=${runId}`])).stdout.split('\n').filter(Boolean);
  const [every, running] = [await ids(true), await ids(false)];
  if (!every.length) throw new Error(`no container carries ${LABEL_RUN}=${runId}`);
  const stats = running.length
    ? (await run('docker', ['stats', '--no-stream', '--format', '{{.MemUsage}}', ...running])).stdout.split('\n').filter(Boolean)
    : [];
  const images = (await run('docker', ['inspect', '--format', '{{.Config.Image}}', ...every])).stdout.split('\n').filter(Boolean);
  return { mib: Math.round(stats.reduce((sum, s) => sum + mib(s), 0)), images: images.sort() };
}

const authlab = (args: string[], home?: string) =>
  run(process.execPath, ['bin/authlab.js', ...args], { maxBuffer: 2 ** 24, ...(home ? { env: { ...process.env, AUTHLAB_HOME: home } } : {}) });

async function measure(id: string, version: string): Promise<LabMeasurement> {
  try {
    const load = Math.round(loadavg()[0]! * 10) / 10;
    const started = Date.now();
    const printed = await authlab(['lab', id, '--n8n', version]);
    // Kept running for a learner's drive: what the start printed, the symptom's command among it.
    if (values.keep) process.stdout.write(printed.stdout);
    const startSeconds = Math.round((Date.now() - started) / 1000);
    const state = await readLabState(id);
    if (!state) throw new Error(`lab ${id} started but left no state`);
    const memory = await memoryOf(state.runId);
    return { version, startSeconds, load, memoryMiB: memory.mib, containers: memory.images.length, images: memory.images };
  } finally {
    if (!values.keep) await authlab(['lab', id, '--down']);
  }
}

/** n seats of one lab started at once on this machine, each with its own AUTHLAB_HOME (as learners sharing a machine would). */
async function measureSeats(id: string, version: string, n: number): Promise<SeatsMeasurement> {
  const homes = Array.from({ length: n }, (_, i) => mkdtempSync(join(tmpdir(), `authlab-seat-${i + 1}-`)));
  const loadBefore = loadavg()[0]!;
  try {
    const startSeconds = await Promise.all(
      homes.map(async (home) => {
        const started = Date.now();
        await authlab(['lab', id, '--n8n', version], home);
        return Math.round((Date.now() - started) / 1000);
      }),
    );
    let memoryMiB = 0;
    for (const home of homes) {
      const state = JSON.parse(readFileSync(join(home, 'labs', id, 'state.json'), 'utf8')) as { runId: string };
      memoryMiB += (await memoryOf(state.runId)).mib;
    }
    return { lab: id, version, seats: n, startSeconds, memoryMiB, loadBefore: Math.round(loadBefore * 10) / 10, measuredAt: new Date().toISOString() };
  } finally {
    await Promise.all(homes.map((home) => authlab(['lab', id, '--down'], home).catch(() => undefined)));
  }
}

const earlier = readLabMeasurements();
const loadBefore = loadavg()[0]!;
const measured: Record<string, LabMeasurement> = { ...earlier?.labs };
const seats: SeatsMeasurement[] = [...(earlier?.seats ?? [])];

/** Written after every lab, so a run cut short keeps what it measured. */
async function save(): Promise<number> {
  // A --seats run adds to the seats only, an --only run to the labs it names (each dated): the others keep their date and machine.
  const ofLabs = (values.seats || only) && earlier ? { measuredAt: earlier.measuredAt, machine: earlier.machine } : undefined;
  const result: LabMeasurements = {
    measuredAt: ofLabs?.measuredAt ?? new Date().toISOString(),
    machine: ofLabs?.machine ?? {
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadBefore: Math.round(loadBefore * 10) / 10,
      loadAfter: Math.round(loadavg()[0]! * 10) / 10,
    },
    labs: Object.fromEntries(labScenarios().flatMap((l) => (measured[l.id] ? [[l.id, measured[l.id]!]] : []))),
    ...(seats.length ? { seats } : {}),
  };
  await writeFile(LAB_MEASURED_FILE, labMeasurementsJson(result));
  return Object.keys(result.labs).length;
}

if (values.seats) {
  // --seats n --only <one lab>: n seats of it at once, instead of each lab alone.
  const lab = labs[0]!;
  const version = planOf(lab, versions, undefined).suggestedVersion ?? DEFAULT_LAB_VERSION;
  log(`${values.seats} seats of ${lab.id} at once on n8n ${version} (1-minute load ${loadavg()[0]!.toFixed(1)})`);
  const m = await measureSeats(lab.id, version, Number(values.seats));
  log(`  ${JSON.stringify(m)}`);
  seats.push(m);
  await save();
} else {
  for (const lab of labs) {
    const version = planOf(lab, versions, undefined).suggestedVersion ?? DEFAULT_LAB_VERSION;
    log(`${lab.id} on n8n ${version} (1-minute load ${loadavg()[0]!.toFixed(1)})`);
    try {
      measured[lab.id] = { ...(await measure(lab.id, version)), ...(only ? { measuredAt: new Date().toISOString() } : {}) };
      log(`  ${JSON.stringify(measured[lab.id])}`);
      await save();
    } catch (err) {
      log(`  not measured: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  log(`wrote ${LAB_MEASURED_FILE}: ${await save()} of ${labScenarios().length} labs measured`);
}
