import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `npm view` through the user's own npm configuration (registry mirror, proxy, CA bundle). */
async function npmView<T>(spec: string, field: string): Promise<T | undefined> {
  try {
    const { stdout } = await run('npm', ['view', spec, field, '--json'], { maxBuffer: 32 * 1024 * 1024, timeout: 60_000 });
    return stdout.trim() ? (JSON.parse(stdout) as T) : undefined;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    if (/E404|No match found/.test(`${e.stdout ?? ''}${e.stderr ?? ''}`)) return undefined;
    throw new Error(`npm view ${spec} ${field} failed: ${(e.stderr ?? String(err)).split('\n').slice(0, 3).join(' ')}`);
  }
}

const versionLists = new Map<string, Promise<string[]>>();

/** All versions of a package the configured registry serves (cached per process). */
export function servedVersions(pkg: string): Promise<string[]> {
  let list = versionLists.get(pkg);
  if (!list) {
    list = npmView<string[] | string>(pkg, 'versions').then((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
    versionLists.set(pkg, list);
  }
  return list;
}

export async function enginesOf(pkg: string, version: string): Promise<Record<string, string>> {
  return (await npmView<Record<string, string>>(`${pkg}@${version}`, 'engines')) ?? {};
}

const distTagLists = new Map<string, Promise<Record<string, string>>>();

/** A package's dist-tags on the configured registry (`latest`, `next`, ...; cached per process). */
export function distTags(pkg: string): Promise<Record<string, string>> {
  let tags = distTagLists.get(pkg);
  if (!tags) {
    tags = npmView<Record<string, string>>(pkg, 'dist-tags').then((t) => t ?? {});
    distTagLists.set(pkg, tags);
  }
  return tags;
}
