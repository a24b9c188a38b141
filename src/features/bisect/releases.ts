import semver from 'semver';
import { nearestVersions, UnknownN8nVersionError } from '../../parts/images/n8n-versions.ts';
import { servedVersions } from '../../parts/images/npm-registry.ts';
import { UserError } from '../../base/user-error.ts';

/** A release's notes on GitHub (n8n tags its releases `n8n@<version>`). */
export const releaseNotesUrl = (version: string): string => `https://github.com/n8n-io/n8n/releases/tag/n8n%40${version}`;

/**
 * The releases a bisect searches, in semver order: --good, every stable release the registry
 * serves between the two, --bad. Pre-releases are left out (they are not releases users run).
 * Bad input throws one line: a version not served, --good not older than --bad.
 */
export function releasesBetween(served: readonly string[], good: string, bad: string): string[] {
  for (const version of [good, bad])
    if (!served.includes(version) || !semver.valid(version)) throw new UnknownN8nVersionError(version, nearestVersions(version, [...served]));
  if (!semver.lt(good, bad)) throw new UserError(`--good must be older than --bad (got --good ${good}, --bad ${bad})`);
  const between = served.filter((v) => semver.valid(v) && !semver.prerelease(v) && semver.gt(v, good) && semver.lt(v, bad));
  return [good, ...between.sort(semver.compare), bad];
}

/** The same, with the versions n8n's package has on the configured registry. */
export async function servedReleasesBetween(good: string, bad: string): Promise<string[]> {
  return releasesBetween(await servedVersions('n8n'), good, bad);
}
