import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { authlabHome } from '../authlab-home.ts';
import type { Progress } from './docker-build.ts';

const run = promisify(execFile);

/** Where registry tarballs of exact versions (Node, npm) are kept between builds. */
const tarballCacheDir = (): string => authlabHome('cache', 'tarballs');

/**
 * Copies the registry tarball of `spec` (an exact `name@version`) to `dest`: from the cache when an
 * earlier build fetched it, else `npm pack` once into the cache (npm checks its integrity).
 */
export async function cachedPack(spec: string, dest: string, progress: Progress): Promise<void> {
  const dir = tarballCacheDir();
  const kept = join(dir, `${spec.replace(/^@/, '').replace(/[@/]/g, '-')}.tgz`);
  if (!(await exists(kept))) {
    await mkdir(dir, { recursive: true });
    const scratch = await mkdtemp(join(dir, '.pack-'));
    try {
      progress(`downloading ${spec} into ${dir}`);
      await run('npm', ['pack', spec, '--silent', '--pack-destination', scratch], { cwd: scratch, maxBuffer: 4 * 1024 * 1024 });
      const [file] = (await readdir(scratch)).filter((n) => n.endsWith('.tgz'));
      if (!file) throw new Error(`npm pack ${spec} wrote no tarball`);
      await rename(join(scratch, file), kept); // atomic: a parallel build sees all of it or nothing
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  await copyFile(kept, dest);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
