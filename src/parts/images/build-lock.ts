import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { authlabHome } from '../../base/authlab-home.ts';

const POLL_MS = 5_000;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Runs `work` while holding this machine's lock on n8n `version`'s image, so that processes side
 * by side (two runs, bisects of several scenarios, `authlab images`) build each version once: the
 * second waits for the first's build and then finds the image. A lock whose process is gone is taken over.
 */
export async function withVersionLock<T>(version: string, progress: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const dir = authlabHome('locks', `n8n-image-${version}`);
  await mkdir(authlabHome('locks'), { recursive: true });
  let said = false;
  for (;;) {
    if (await takeLock(dir)) break;
    const holder = Number(await readFile(join(dir, 'pid'), 'utf8').catch(() => ''));
    if (holder && !alive(holder)) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (!said) progress(`n8n ${version}: another process (pid ${holder || '?'}) is making its image; waiting for it`);
    said = true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  try {
    return await work();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Takes the lock: a folder holding this process's pid, made aside and renamed into place, so a
 * waiter never sees the lock without its holder's pid (and a holder that died is always seen as gone).
 */
async function takeLock(dir: string): Promise<boolean> {
  const aside = `${dir}.${process.pid}.${randomUUID()}`;
  await mkdir(aside);
  await writeFile(join(aside, 'pid'), String(process.pid));
  try {
    await rename(aside, dir);
    return true;
  } catch {
    await rm(aside, { recursive: true, force: true });
    return false;
  }
}
