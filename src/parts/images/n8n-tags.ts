import semver from 'semver';
import { distTags, servedVersions } from './npm-registry.ts';
import { nearestVersions, UnknownN8nVersionError } from './n8n-versions.ts';

/** n8n's moving Docker tags, each with the npm dist-tags that name its release, in order of preference. */
const MOVING_TAGS: Record<string, string[]> = {
  stable: ['stable', 'latest'],
  latest: ['latest', 'stable'],
  beta: ['beta', 'next'],
  next: ['next', 'beta'],
};

/** What the npm registry says about n8n: its dist-tags and every version it lists. */
export interface N8nRegistryView {
  distTags: Record<string, string>;
  versions: string[];
}

/** A Docker tag resolved to a release, and how (said on stderr). */
export interface ResolvedN8nTag {
  version: string;
  how: string;
}

export const isMovingN8nTag = (tag: string) => tag in MOVING_TAGS;

const releases = (versions: string[]) => versions.filter((v) => semver.valid(v) && !semver.prerelease(v));

/**
 * n8n's Docker tag as a release the registry serves: `stable`, `latest`, `beta`, `next` by n8n's
 * npm dist-tags (`stable` is npm's `latest` where the registry has no `stable`); a major or a minor
 * (`2`, `2.41`) as the highest served release in it; an exact version as itself.
 * @example n8nTagToVersion('stable', view) // { version: '2.41.3', how: 'npm dist-tag latest; the registry has no dist-tag stable' }
 */
export function n8nTagToVersion(tag: string, view: N8nRegistryView): ResolvedN8nTag {
  if (view.versions.includes(tag)) return { version: tag, how: 'the version itself' };
  const wanted = MOVING_TAGS[tag];
  if (wanted) {
    const distTag = wanted.find((t) => view.distTags[t]);
    if (!distTag) {
      const newest = semver.maxSatisfying(releases(view.versions), '*');
      if (!newest) throw new UnknownN8nVersionError(tag, []);
      return { version: newest, how: `the newest served release: the registry has none of the dist-tags ${wanted.join(', ')}` };
    }
    const named = view.distTags[distTag]!;
    const because = `npm dist-tag ${distTag}${distTag === tag ? '' : `; the registry has no dist-tag ${tag}`}`;
    if (view.versions.includes(named)) return { version: named, how: because };
    // A partial copy of the registry may list a dist-tag whose release it does not serve.
    const below = semver.maxSatisfying(releases(view.versions), `<=${named}`);
    if (!below) throw new UnknownN8nVersionError(named, nearestVersions(named, view.versions));
    return { version: below, how: `${because} names ${named}, which the registry does not serve; the highest served release below it` };
  }
  const range = /^\d+(\.\d+)?$/.test(tag) ? semver.validRange(tag) : null;
  const newest = range ? semver.maxSatisfying(releases(view.versions), range) : null;
  if (newest) return { version: newest, how: `the highest served release in ${tag}` };
  throw new UnknownN8nVersionError(tag, nearestVersions(tag, view.versions));
}

/** `n8nTagToVersion` against the configured npm registry. */
export async function resolveN8nTag(tag: string): Promise<ResolvedN8nTag> {
  const [tags, versions] = await Promise.all([distTags('n8n'), servedVersions('n8n')]);
  return n8nTagToVersion(tag, { distTags: tags, versions });
}
