import { killBrowsers } from './browser-processes.ts';
import { docker } from './docker.ts';
import { closeEngineGate, makingInFlight, makingSettled } from './engine-gate.ts';
import { LABEL_PID, LABEL_PROJECT, LABEL_RUN, PROJECT, RUN_ID } from './labels.ts';

export interface SweepResult {
  containers: number;
  networks: number;
  volumes: number;
  /** Chromium processes the browser family started (killed, with their process groups). */
  browsers: number;
}

interface SweepOptions {
  /**
   * `this-process`: what this process created (a CLI started by another authlab process inherits
   * its run id, and must not take the parent's stacks with it); `this-run`: what every process of
   * this run created; `orphans`: everything of the project's left by dead processes.
   */
  scope: 'this-process' | 'this-run' | 'orphans' | 'all';
  /** With scope 'this-run': another run's id instead of this process's (a lab whose process is gone). */
  run?: string;
}

/** Whether a process still runs (a process of another user counts as alive). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function selected(labels: Record<string, string> | undefined, { scope, run }: SweepOptions): boolean {
  // What the tool made carries its run id. A container run from one of its images by anyone else
  // (authlab's own image under `docker run`, a lab export's compose) inherits only the image's project label.
  if (!labels || labels[LABEL_PROJECT] !== PROJECT || !labels[LABEL_RUN]) return false;
  if (scope === 'all') return true;
  // A lab this run started runs under `<run id>.lab-...`: it is this run's too (a lab left by a failed test must not outlive the run).
  if (scope === 'this-run') return labels[LABEL_RUN] === (run ?? RUN_ID) || (labels[LABEL_RUN] ?? '').startsWith(`${run ?? RUN_ID}.`);
  if (scope === 'this-process') return labels[LABEL_RUN] === RUN_ID && labels[LABEL_PID] === String(process.pid);
  const pid = Number(labels[LABEL_PID]);
  return labels[LABEL_RUN] !== RUN_ID && !(Number.isInteger(pid) && pid > 0 && pidAlive(pid));
}

/** What one pass removed, and how much of what it listed it could not remove (still attached, being removed, ...). */
interface Pass {
  removed: SweepResult;
  stuck: number;
}

/** One pass: browsers, then containers (with their anonymous volumes), then the networks and volumes they held. */
async function sweepPass(opts: SweepOptions): Promise<Pass> {
  const browsers = await killBrowsers((labels) => selected(labels, opts));
  const engine = await docker();
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=${PROJECT}`] });
  const removed: SweepResult = { containers: 0, networks: 0, volumes: 0, browsers };
  let stuck = 0;
  // Counted only when removed: a network a container still holds stays, and the next pass takes it.
  const count = (kind: 'containers' | 'networks' | 'volumes', removal: Promise<unknown>) =>
    removal.then(
      () => void removed[kind]++,
      () => void stuck++,
    );

  const containers = (await engine.listContainers({ all: true, filters })).filter((c) => selected(c.Labels, opts));
  await Promise.all(containers.map((c) => count('containers', engine.getContainer(c.Id).remove({ force: true, v: true }))));
  for (const n of (await engine.listNetworks({ filters })).filter((n) => selected(n.Labels, opts))) await count('networks', engine.getNetwork(n.Id).remove());
  const { Volumes: volumes } = await engine.listVolumes({ filters });
  for (const v of (volumes ?? []).filter((v) => selected(v.Labels, opts))) await count('volumes', engine.getVolume(v.Name).remove({ force: true }));
  return { removed, stuck };
}

/** Kills the project's browsers, then removes containers, networks and volumes carrying its labels (Ryuk's job, done by hand). */
export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  return (await sweepPass(opts)).removed;
}

const added = (a: SweepResult, b: SweepResult): SweepResult => ({
  containers: a.containers + b.containers,
  networks: a.networks + b.networks,
  volumes: a.volumes + b.volumes,
  browsers: a.browsers + b.browsers,
});

/** How long a stopping process spends removing its own before it gives up and exits (`authlab sweep` takes what is left). */
const STOP_BUDGET_MS = 9000;

/**
 * Stops this process making anything new in the engine, waits for the creates already on their way,
 * and removes what `opts` selects (by default what this process made), pass after pass, until a pass
 * finds nothing left (or the budget is spent). A single sweep while stacks start misses the network
 * or container a start creates a moment later.
 */
export async function removeUntilGone(opts: SweepOptions = { scope: 'this-process' }, budgetMs = STOP_BUDGET_MS): Promise<SweepResult & { left: number }> {
  const deadline = Date.now() + budgetMs;
  closeEngineGate();
  let total: SweepResult = { containers: 0, networks: 0, volumes: 0, browsers: 0 };
  for (;;) {
    await makingSettled(Math.max(0, deadline - Date.now()));
    const pass = await sweepPass(opts);
    total = added(total, pass.removed);
    const found = pass.stuck + pass.removed.containers + pass.removed.networks + pass.removed.volumes;
    if (found === 0 && !makingInFlight()) return { ...total, left: 0 };
    if (Date.now() >= deadline) return { ...total, left: pass.stuck + Number(makingInFlight()) };
    if (pass.stuck) await new Promise((r) => setTimeout(r, 300));
  }
}

/** `removed 3 container(s), 1 network(s), 2 volume(s)`: what a clean-up says it did (and what it could not, if any). */
export const removedLine = (r: SweepResult & { left?: number }) =>
  `removed ${r.containers} container(s), ${r.networks} network(s), ${r.volumes} volume(s)${r.browsers ? `, ${r.browsers} browser process(es)` : ''}${
    r.left ? `; some could not be removed in time: \`authlab sweep\` removes them` : ''
  }`;

/** Removes what this process created (its browsers, containers, networks, volumes), says what, then exits with `code`. */
export function exitRemovingOwn(code: number, log: (line: string) => void): void {
  removeUntilGone()
    .then((r) => log(removedLine(r)))
    .catch((err: unknown) => log(`cleanup failed: ${String(err)}; \`authlab sweep\` removes what is left`))
    .finally(() => process.exit(code));
}

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };
let stoppedBy: NodeJS.Signals | undefined;

/** The exit code of the signal that is stopping this process (130 for SIGINT, 143 for SIGTERM), or undefined when none came. */
export const interrupted = (): number | undefined => (stoppedBy ? SIGNAL_EXIT[stoppedBy] : undefined);

/**
 * Calls `stop` on the first SIGINT or SIGTERM (the two are one to the tool). A second signal exits
 * at once, unless `patient`: a test worker gets Ctrl-C and then its pool's SIGTERM a moment later,
 * and must finish removing all the same.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void, { patient = false } = {}): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) {
      if (!patient) process.exit(SIGNAL_EXIT[signal]);
      return;
    }
    stoppedBy = signal;
    stop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

let installed = false;

/**
 * On Ctrl-C or SIGTERM, stop making containers and remove what this process created before exiting,
 * so `docker ps -a` is clean. `onStop` runs first (the CLI quiets its output: what a run does once
 * stopped is no result).
 */
export function cleanupOnSignals(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  { patient = false, onStop }: { patient?: boolean; onStop?: () => void } = {},
): void {
  if (installed) return;
  installed = true;
  // The gate counts the creates in flight from now on (see engine-gate.ts).
  docker().catch(() => undefined);
  onStopSignal(
    (signal) => {
      onStop?.();
      log(
        `\n${signal}: stopping; removing this process's browsers, containers, networks and volumes (a second signal exits at once, and \`authlab sweep\` removes what is left)...`,
      );
      exitRemovingOwn(SIGNAL_EXIT[signal]!, log);
    },
    { patient },
  );
}
