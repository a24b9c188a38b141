import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { authlabHome } from '../../base/authlab-home.ts';
import type { Progress } from './docker-build.ts';
import { keptDownload } from './download-cache.ts';

const run = promisify(execFile);

/** Where registry tarballs of exact versions (Node, npm) are kept between builds. */
const tarballCacheDir = (): string => authlabHome('cache', 'tarballs');

/**
 * Copies the registry tarball of `spec` (an exact `name@version`) to `dest`: from the cache when an
 * earlier build fetched it, else `npm pack` once into the cache (npm checks its integrity).
 */
export async function cachedPack(spec: string, dest: string, progress: Progress): Promise<void> {
  const dir = tarballCacheDir();
  await keptDownload(join(dir, `${spec.replace(/^@/, '').replace(/[@/]/g, '-')}.tgz`), dest, '.tgz', async (scratch) => {
    progress(`downloading ${spec} into ${dir}`);
    await run('npm', ['pack', spec, '--silent', '--pack-destination', scratch], { cwd: scratch, maxBuffer: 4 * 1024 * 1024 });
  });
}
