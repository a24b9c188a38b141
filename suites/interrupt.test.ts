import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { docker } from '../src/docker/docker.ts';
import { LABEL_PROJECT, LABEL_RUN, PROJECT } from '../src/docker/labels.ts';
import { authlab } from './support/cli.ts';
import { testVersions } from './support/versions.ts';

/**
 * Ctrl-C (SIGINT) or SIGTERM at any moment of `run`, `check` and `lab` leaves no container, network
 * or volume of the run, and the command says what it removed; SIGKILL leaves things that `authlab
 * sweep` then removes. Each interruption has a run id of its own, so they run side by side.
 */
const BIN = new URL('../bin/authlab.js', import.meta.url).pathname;
const FIXTURES = new URL('../fixtures/deployments/', import.meta.url).pathname;
const VERSION = testVersions().at(-1)!;
const LAB = 'proxy.blanked-header';
/** Nothing stuck, a stopped command removes what it made and exits well within this (its budget is 9 s). */
const EXIT_AFTER_SIGNAL_MS = 20_000;
const EXIT_CODE = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODE;

/** A moment of a command, told by the first output line (stdout or stderr) that matches, plus a delay into what follows it. */
interface Moment {
  name: string;
  line: RegExp;
  delayMs: number;
}

interface Interrupted {
  code: number | null;
  output: string;
  /** Whether the moment's line came (and the signal was sent). */
  sent: boolean;
  exitAfterSignalMs: number;
}

/** Runs the CLI as a user would, and sends `signal` at `moment` (both streams watched, as a user watches the terminal). */
function interruptAt(args: string[], env: NodeJS.ProcessEnv, moment: Moment, signal: NodeJS.Signals): Promise<Interrupted> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let output = '';
    let sentAt: number | undefined;
    const watch = (chunk: Buffer) => {
      output += chunk;
      if (sentAt !== undefined || !moment.line.test(output)) return;
      sentAt = Date.now() + moment.delayMs;
      setTimeout(() => child.kill(signal), moment.delayMs);
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('close', (code) => resolve({ code, output, sent: sentAt !== undefined, exitAfterSignalMs: sentAt ? Date.now() - sentAt : 0 }));
  });
}

/** Containers, networks and volumes whose run id is `runId` or starts with it (a lab's process runs under `<runId>.lab-<time>`). */
async function leftOf(runId: string): Promise<string[]> {
  const engine = await docker();
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=${PROJECT}`] });
  const ours = (labels: Record<string, string> | undefined) => labels?.[LABEL_RUN] === runId || labels?.[LABEL_RUN]?.startsWith(`${runId}.`);
  return [
    ...(await engine.listContainers({ all: true, filters })).filter((c) => ours(c.Labels)).map((c) => `container ${c.Names[0]} (${c.State})`),
    ...(await engine.listNetworks({ filters })).filter((n) => ours(n.Labels)).map((n) => `network ${n.Name}`),
    ...((await engine.listVolumes({ filters })).Volumes ?? []).filter((v) => ours(v.Labels)).map((v) => `volume ${v.Name}`),
  ];
}

/** Lab processes (`authlab lab-serve`) still running with `home` as their AUTHLAB_HOME. */
function labProcessesOf(home: string): number[] {
  const read = (pid: string, file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0');
    } catch {
      return []; // gone meanwhile
    }
  };
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid) && read(pid, 'cmdline').includes('lab-serve') && read(pid, 'environ').includes(`AUTHLAB_HOME=${home}`))
    .map(Number);
}

let runs = 0;
const runIdFor = (command: string, moment: Moment, signal: string) =>
  `int-${command}-${moment.name.replace(/\W+/g, '-')}-${signal}-${Date.now().toString(36)}${runs++}`.toLowerCase();

/** Interrupts `args` at `moment` with `signal`: the moment came, the command exited with the signal's code soon, said what it removed, and left nothing. */
async function expectNothingLeft(command: string, args: (runId: string) => string[], moment: Moment, signal: StopSignal, env: NodeJS.ProcessEnv = {}) {
  const runId = runIdFor(command, moment, signal);
  const r = await interruptAt(args(runId), { ...env, AUTHLAB_RUN_ID: runId }, moment, signal);
  expect(r.sent, `the moment "${moment.name}" never came:\n${r.output}`).toBe(true);
  expect(r.code, r.output).toBe(EXIT_CODE[signal]);
  expect(r.output).toMatch(/removed \d+ container\(s\), \d+ network\(s\), \d+ volume\(s\)/);
  expect(r.exitAfterSignalMs, `exited ${(r.exitAfterSignalMs / 1000).toFixed(1)} s after the signal`).toBeLessThan(EXIT_AFTER_SIGNAL_MS);
  const left = await leftOf(runId);
  expect(left, `what ${command} interrupted ${moment.name} left`).toEqual([]);
  // The evidence, one line per interruption, in the test run's output.
  const removed = r.output.match(/removed \d+ container\(s\), \d+ network\(s\), \d+ volume\(s\)/g) ?? [];
  console.log(
    `${command} ${moment.name}, ${signal}: exit ${r.code} ${(r.exitAfterSignalMs / 1000).toFixed(1)} s after the signal; said "${removed.join('; ')}"; left: ${left.length || 'nothing'}`,
  );
  return { ...r, runId };
}

/** The image resolve: the first line of a start, said while n8n's image is looked for. */
const RESOLVE: Moment = { name: 'during the image resolve', line: /no registry serves n8nio\/n8n/, delayMs: 0 };
/** A stack start: n8n's network, volume and container are being made (1.5 s in: the creates in flight). */
const STACK_START: Moment = { name: 'during a stack start', line: /starting n8n \d/, delayMs: 1500 };
const BOTH: StopSignal[] = ['SIGINT', 'SIGTERM'];

describe.concurrent('Ctrl-C or SIGTERM at any moment leaves nothing', () => {
  const run = (runId: string) => ['run', '--n8n', VERSION, '--only', 'headers.missing-header,headers.wrong-header-name', '--out', join(tmpdir(), runId)];
  for (const signal of BOTH) {
    test(`authlab run, ${signal} during the image resolve: nothing left`, () => expectNothingLeft('run', run, RESOLVE, signal));
    test(`authlab run, ${signal} during a stack start: nothing left`, () => expectNothingLeft('run', run, STACK_START, signal));
  }
  // The two signals take one path (onStopSignal); the moments that need an n8n boot take one signal each, across the commands.
  test('authlab run, SIGINT during a scenario (the second, on the stack the first left): nothing left, no reports written', async () => {
    const { runId } = await expectNothingLeft('run', run, { name: 'during a scenario', line: /\[1\/2\] n8n /, delayMs: 0 }, 'SIGINT');
    expect(existsSync(join(tmpdir(), runId, 'ledger.json')), 'a stopped run writes no report').toBe(false);
  });
  test('authlab run, SIGTERM during the reports (after the last result, its stacks stopping): nothing left', () =>
    expectNothingLeft('run', run, { name: 'during the reports', line: /\[2\/2\] n8n /, delayMs: 0 }, 'SIGTERM'));

  const check = (runId: string) => ['check', '--compose', join(FIXTURES, 'good', 'docker-compose.yml'), '--out', join(tmpdir(), runId)];
  for (const signal of BOTH) {
    test(`authlab check, ${signal} during the image resolve: nothing left`, () => expectNothingLeft('check', check, RESOLVE, signal));
    test(`authlab check, ${signal} during a stack start: nothing left`, () => expectNothingLeft('check', check, STACK_START, signal));
  }
  // Its results come all at once at its end (no line marks its reports): its last moment is a check's own restart.
  test('authlab check, SIGTERM during a check (n8n recreated over its data volume): nothing left, no reports written', async () => {
    const moment = { name: 'during a check', line: /recreating n8n over its data volume/, delayMs: 1500 };
    const { runId } = await expectNothingLeft('check', check, moment, 'SIGTERM');
    expect(existsSync(join(tmpdir(), runId, 'check.json')), 'a stopped check writes no report').toBe(false);
  });

  // A lab's stack is held by its own detached process: stopped before it is ready, that process is stopped too.
  const home = mkdtempSync(join(tmpdir(), 'authlab-interrupt-home-'));
  const lab = () => ['lab', LAB, '--n8n', VERSION];
  const labMoments: [Moment, StopSignal][] = [
    [RESOLVE, 'SIGINT'],
    [STACK_START, 'SIGTERM'],
    [{ name: 'during the proxy start', line: /starting the tap and nginx/, delayMs: 1500 }, 'SIGINT'],
  ];
  // One lab of an id runs at a time (its state folder is per id): each in a home of its own.
  for (const [moment, signal] of labMoments)
    test(`authlab lab <id>, ${signal} ${moment.name}: nothing left, its process and folder gone`, async () => {
      const own = mkdtempSync(join(home, 'h-'));
      await expectNothingLeft('lab', lab, moment, signal, { AUTHLAB_HOME: own });
      expect(existsSync(join(own, 'labs', LAB)), "the lab's folder").toBe(false);
      expect(labProcessesOf(own), "the lab's process").toEqual([]);
    });
});

describe('SIGKILL, then authlab sweep', () => {
  test('authlab run killed with SIGKILL during a stack start leaves things; authlab sweep then leaves nothing', async () => {
    const runId = runIdFor('run', STACK_START, 'sigkill');
    const r = await interruptAt(
      ['run', '--n8n', VERSION, '--only', 'headers.missing-header', '--out', join(tmpdir(), runId)],
      { AUTHLAB_RUN_ID: runId },
      STACK_START,
      'SIGKILL',
    );
    expect(r.sent, r.output).toBe(true);
    const left = await leftOf(runId);
    expect(left.length, 'a SIGKILL leaves what it made').toBeGreaterThan(0);
    const swept = await authlab(['sweep']);
    expect(swept.code, swept.stderr).toBe(0);
    expect(swept.stdout).toMatch(/removed \d+ container\(s\), \d+ network\(s\), \d+ volume\(s\)/);
    expect(await leftOf(runId)).toEqual([]);
  });
});
