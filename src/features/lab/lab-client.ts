import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interrupted, onStopSignal, pidAlive, removedLine, removeUntilGone, sweep, type SweepResult } from '../../docker/cleanup.ts';
import { labDir, readLabState, removeLabDir, type LabState } from './lab-state.ts';
import type { LabCheck } from './lab-daemon.ts';
import { UserError } from '../../base/user-error.ts';

const BIN = fileURLToPath(new URL('../../../bin/authlab.js', import.meta.url));
const START_TIMEOUT_MS = 20 * 60_000;

class LabError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}

interface LabStartOptions {
  offline?: boolean;
  /** A registry mirror for the official images (ImageOptions.registry). */
  registry?: string;
  caBundle?: string;
  port?: number;
  progress: (line: string) => void;
}

/** The lab process's command line: the image flags passed on as given. */
function serveArgs(id: string, version: string, opts: LabStartOptions): string[] {
  return [
    'lab-serve',
    id,
    '--n8n',
    version,
    ...(opts.offline ? ['--offline'] : []),
    ...(opts.registry ? ['--registry', opts.registry] : []),
    ...(opts.caBundle ? ['--ca-bundle', opts.caBundle] : []),
    ...(opts.port ? ['--port', String(opts.port)] : []),
  ];
}

/**
 * Starts the lab's own process detached (it outlives this command and holds the stack), then
 * waits for it to say ready or failed, passing its progress lines on.
 */
export async function startLab(id: string, version: string, opts: LabStartOptions): Promise<LabState> {
  const running = await readLabState(id);
  if (running && pidAlive(running.pid)) throw new LabError(`lab ${id} is already running (n8n ${running.version}); stop it first: authlab lab ${id} --down`);
  await removeLabDir(id);
  await mkdir(labDir(id), { recursive: true, mode: 0o700 });
  const logFile = join(labDir(id), 'lab.log');
  const log = openSync(logFile, 'a');
  // Under the caller's run id where it has one, so what a lab made can be told apart (a test's, say);
  // random too: labs started in the same millisecond (a test's side by side) must not share a run id.
  const runId = `${process.env.AUTHLAB_RUN_ID ? `${process.env.AUTHLAB_RUN_ID}.` : ''}lab-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const child = spawn(process.execPath, [BIN, ...serveArgs(id, version, opts)], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, AUTHLAB_RUN_ID: runId },
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  let shown = 0;
  const showNewLines = async () => {
    const lines = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    for (const line of lines.slice(shown)) opts.progress(line);
    shown = lines.length;
    return lines;
  };
  // The lab's process is detached (a terminal's Ctrl-C does not reach it): stopped before it is ready, it is stopped too.
  const off = onStopSignal((signal) => {
    opts.progress(`${signal}: stopping lab ${id} before it is ready; removing its stack`);
    void abandonLab(id, child.pid!, runId, showNewLines, opts.progress).finally(() => process.exit(interrupted()));
  });
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      if (interrupted()) return await new Promise<never>(() => undefined); // abandonLab ends the process
      const lines = await showNewLines();
      const state = await readLabState(id);
      if (state?.status === 'ready') return state;
      if (state?.status === 'failed') throw new LabError(`lab ${id} did not start: ${state.error}`);
      if (!pidAlive(child.pid!) || Date.now() > deadline) {
        await sweep({ scope: 'this-run', run: runId });
        throw new LabError(`lab ${id} did not start: its process ${pidAlive(child.pid!) ? 'timed out' : 'ended'}; last lines:\n${lines.slice(-20).join('\n')}`);
      }
    }
  } finally {
    off();
  }
}

/** Ends a lab's process that is still starting (SIGTERM: it removes what it made), then removes what is left of its run, and its folder. */
async function abandonLab(id: string, pid: number, runId: string, showNewLines: () => Promise<unknown>, progress: (line: string) => void): Promise<void> {
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // it ended already
    }
  };
  send('SIGTERM');
  const deadline = Date.now() + 15_000;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (pidAlive(pid)) send('SIGKILL');
  await showNewLines();
  const left = await removeUntilGone({ scope: 'this-run', run: runId });
  if (left.containers + left.networks + left.volumes + left.left) progress(`what the lab's process left: ${removedLine(left)}`);
  await removeLabDir(id);
}

async function ask<T>(id: string, action: 'check' | 'apply' | 'reset' | 'down'): Promise<T> {
  const state = await readLabState(id);
  if (!state?.control) throw new LabError(`no lab ${id} is running; start it with: authlab lab ${id}`);
  const res = await fetch(`http://127.0.0.1:${state.control.port}/${action}`, { method: 'POST', headers: { 'x-lab-token': state.control.token } }).catch(
    () => undefined,
  );
  if (!res) throw new LabError(`lab ${id}'s process does not answer; remove what it left with: authlab lab ${id} --down`);
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new LabError(`lab ${id}: ${body.error ?? res.status}`);
  return body;
}

export const checkLabFix = (id: string) => ask<LabCheck>(id, 'check');
export const resetLab = (id: string) => ask<{ lines: string[] }>(id, 'reset');
/** Makes the learner's edit of an env or clock file live (n8n recreated with it). */
export const applyLabEdit = (id: string) => ask<{ lines: string[] }>(id, 'apply');

/** Stops the lab's process and its stack; if the process is gone, removes by its run id what it left. */
export async function downLab(id: string): Promise<SweepResult> {
  const state = await readLabState(id);
  if (!state) throw new LabError(`no lab ${id} is running`);
  if (pidAlive(state.pid)) {
    await ask(id, 'down').catch(() => process.kill(state.pid, 'SIGTERM'));
    const deadline = Date.now() + 60_000;
    while (pidAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  }
  const left = await sweep({ scope: 'this-run', run: state.runId });
  await removeLabDir(id);
  return left;
}
