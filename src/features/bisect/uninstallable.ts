import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { authlabHome } from '../../base/authlab-home.ts';

/** How long a release the registry could not install is remembered (the registry may get the package later). */
const REMEMBERED_MS = 24 * 3600_000;

type Remembered = Record<string, { reason: string; at: string }>;

const file = (): string => authlabHome('cache', 'n8n-uninstallable.json');

async function read(): Promise<Remembered> {
  return JSON.parse(await readFile(file(), 'utf8').catch(() => '{}')) as Remembered;
}

/**
 * Why this registry could not install n8n `version` the last time a bisect tried (within a day), so
 * the next bisect skips it at once instead of resolving its tree again (minutes on a loaded machine).
 */
export async function knownUninstallable(version: string, now = Date.now()): Promise<string | undefined> {
  const entry = (await read())[version];
  return entry && now - Date.parse(entry.at) < REMEMBERED_MS ? `${entry.reason} (as found at ${entry.at})` : undefined;
}

/** Remembers that the registry could not install `version`: only a missing package, never a failed build. */
export async function rememberUninstallable(version: string, reason: string): Promise<void> {
  if (!/cannot be installed from this registry/.test(reason)) return;
  const all = await read();
  all[version] = { reason, at: new Date().toISOString() };
  await mkdir(dirname(file()), { recursive: true });
  await writeFile(file(), `${JSON.stringify(all, null, 2)}\n`);
}
