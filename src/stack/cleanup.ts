import { killBrowsers } from '../browser/browser-processes.ts';
import { docker } from './docker.ts';
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
  if (scope === 'this-run') return labels[LABEL_RUN] === (run ?? RUN_ID);
  if (scope === 'this-process') return labels[LABEL_RUN] === RUN_ID && labels[LABEL_PID] === String(process.pid);
  const pid = Number(labels[LABEL_PID]);
  return labels[LABEL_RUN] !== RUN_ID && !(Number.isInteger(pid) && pid > 0 && pidAlive(pid));
}

/** Kills the project's browsers, then removes containers, networks and volumes carrying its labels (Ryuk's job, done by hand). */
export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const browsers = await killBrowsers((labels) => selected(labels, opts));
  const engine = await docker();
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=${PROJECT}`] });
  const result: SweepResult = { containers: 0, networks: 0, volumes: 0, browsers };

  const containers = await engine.listContainers({ all: true, filters });
  await Promise.all(
    containers
      .filter((c) => selected(c.Labels, opts))
      .map(async (c) => {
        await engine
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined);
        result.containers++;
      }),
  );
  const networks = await engine.listNetworks({ filters });
  for (const n of networks.filter((n) => selected(n.Labels, opts))) {
    await engine
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
    result.networks++;
  }
  const { Volumes: volumes } = await engine.listVolumes({ filters });
  for (const v of (volumes ?? []).filter((v) => selected(v.Labels, opts))) {
    await engine
      .getVolume(v.Name)
      .remove({ force: true })
      .catch(() => undefined);
    result.volumes++;
  }
  return result;
}

/** Removes what this process created (its browsers, containers, networks, volumes), then exits with `code`. */
export function exitRemovingOwn(code: number, log: (line: string) => void): void {
  // Twice: a container whose creation was in flight at the first sweep exists by the second.
  sweep({ scope: 'this-process' })
    .then(() => new Promise((r) => setTimeout(r, 1500)))
    .then(() => sweep({ scope: 'this-process' }))
    .then((r) => log(`removed ${r.containers} container(s), ${r.networks} network(s), ${r.volumes} volume(s)`))
    .catch((err: unknown) => log(`cleanup failed: ${String(err)}`))
    .finally(() => process.exit(code));
}

let installed = false;

/**
 * On Ctrl-C or SIGTERM, remove what this process created before exiting, so `docker ps -a` is clean.
 * A second signal exits at once, unless `patient`: a test worker gets Ctrl-C and then its pool's
 * SIGTERM a moment later, and must finish removing all the same.
 */
export function cleanupOnSignals(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`), { patient = false } = {}): void {
  if (installed) return;
  installed = true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (!patient) process.exit(130);
      return;
    }
    stopping = true;
    log(`\n${signal}: stopping this process's browsers, removing its containers, networks and volumes...`);
    exitRemovingOwn(signal === 'SIGINT' ? 130 : 143, log);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
