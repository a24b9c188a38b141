import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Progress } from './docker-build.ts';
import { pip, WheelUnavailableError, WHEELS_ONLY } from './pip.ts';
import { wheelCacheDir } from './wheel-cache.ts';

/** How long a kept listing is taken as PyPI's answer without asking again. */
const FRESH_MS = 24 * 60 * 60_000;
const PIP_INDEX_TIMEOUT_MS = 2 * 60_000;

/** A wheel's versions as PyPI listed them, and when. */
interface KeptListing {
  listedAt: string;
  versions: string[];
}

/** Asks the index for a wheel's versions (a test passes its own list: no network). */
export type ListVersions = (name: string) => Promise<string[]>;

/** `pip index versions`' answer -> the versions it lists ("Available versions: 3.7.15, 3.7.13, ..."). */
export function availableVersions(stdout: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith('Available versions:'));
  return (line?.slice('Available versions:'.length).split(',') ?? []).map((v) => v.trim()).filter(Boolean);
}

/** The versions of `name` with a wheel for this machine, as the user's pip index lists them (pre-releases left out). */
export const pipIndexVersions: ListVersions = async (name) => {
  const versions = availableVersions(await pip(['index', 'versions', WHEELS_ONLY, name], `pip index versions ${name}`, PIP_INDEX_TIMEOUT_MS));
  if (!versions.length) throw new WheelUnavailableError(`pip index versions ${name} listed no version`);
  return versions;
};

/**
 * The versions of a wheel PyPI serves, kept in the wheel cache for a day (a second run asks no
 * index). When the index cannot be asked, the last listing kept is used however old, and said;
 * with none kept, the WheelUnavailableError says why.
 */
export async function servedWheelVersions(name: string, progress: Progress, list: ListVersions = pipIndexVersions): Promise<string[]> {
  const file = join(wheelCacheDir(), `${name}.versions.json`);
  const kept = await readKept(file);
  if (kept && Date.now() - Date.parse(kept.listedAt) < FRESH_MS) return kept.versions;
  try {
    const versions = await list(name);
    await writeKept(file, { listedAt: new Date().toISOString(), versions });
    return versions;
  } catch (err) {
    if (!(err instanceof WheelUnavailableError) || !kept) throw err;
    progress(`${err.message}; using the ${name} versions PyPI listed at ${kept.listedAt}`);
    return kept.versions;
  }
}

async function readKept(file: string): Promise<KeptListing | undefined> {
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as Partial<KeptListing>;
    return typeof kept.listedAt === 'string' && Array.isArray(kept.versions) ? { listedAt: kept.listedAt, versions: kept.versions } : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole, then renamed into place: a parallel run reads the old listing or the new one. */
async function writeKept(file: string, listing: KeptListing): Promise<void> {
  await mkdir(wheelCacheDir(), { recursive: true });
  const scratch = `${file}.${process.pid}.tmp`;
  await writeFile(scratch, `${JSON.stringify(listing, null, 2)}\n`);
  await rename(scratch, file);
}
