import { readdir, readFile } from 'node:fs/promises';
import { LABEL_PID, LABEL_PROJECT, LABEL_RUN, PROJECT, RUN_ID } from './labels.ts';

/**
 * A Chromium the project starts carries its owner on its command line, as a container carries
 * labels: Chromium ignores switches it does not know, and a sweep reads them back from /proc.
 * It sits beside the labels, below the browser, because the sweep (cleanup.ts) kills what it finds.
 */
const RUN_FLAG = '--authlab-run=';
const PID_FLAG = '--authlab-pid=';

export function ownerFlags(): string[] {
  return [`${RUN_FLAG}${RUN_ID}`, `${PID_FLAG}${process.pid}`];
}

/** A browser process of the project's, with its owner as labels (the sweep's own vocabulary). */
export interface BrowserProcess {
  pid: number;
  labels: Record<string, string>;
}

/** Every process whose command line carries the owner flags (Chromium's helpers inherit none: killing the browser's group ends them). */
export async function browserProcesses(): Promise<BrowserProcess[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const found: BrowserProcess[] = [];
  for (const entry of entries.filter((e) => /^\d+$/.test(e))) {
    const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const run = args.find((a) => a.startsWith(RUN_FLAG))?.slice(RUN_FLAG.length);
    const owner = args.find((a) => a.startsWith(PID_FLAG))?.slice(PID_FLAG.length);
    if (run && owner) found.push({ pid: Number(entry), labels: { [LABEL_PROJECT]: PROJECT, [LABEL_RUN]: run, [LABEL_PID]: owner } });
  }
  return found;
}

/** Kills each selected browser process (and its process group, where it leads one); returns how many. */
export async function killBrowsers(select: (labels: Record<string, string>) => boolean): Promise<number> {
  const chosen = (await browserProcesses()).filter((p) => select(p.labels));
  for (const p of chosen) {
    for (const target of [-p.pid, p.pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // not a group leader, or already gone
      }
    }
  }
  return chosen.length;
}
