import { isMovingN8nTag, resolveN8nTag } from '../../parts/images/n8n-tags.ts';
import { resolveN8nVersion } from '../../parts/images/n8n-versions.ts';
import type { Deployment } from './deployment.ts';

/**
 * The release to check the deployment as: the file's image tag as Docker would pull it (`stable`,
 * `next`, `2.41`: see n8nTagToVersion), or --n8n as written (also `1.123.x`, `^2.8.0`). Says on
 * stderr how a tag or line became a release.
 * @example docker.n8n.io/n8nio/n8n:stable -> n8n 2.41.3 (npm dist-tag latest; the registry has no dist-tag stable)
 */
export async function checkedVersion(d: Deployment, progress: (line: string) => void): Promise<string> {
  const written = d.versionFrom === 'image' ? `${d.main.image}` : `--n8n ${d.version}`;
  if (d.versionFrom === 'image' || isMovingN8nTag(d.version)) {
    const { version, how } = await resolveN8nTag(d.version);
    if (version !== d.version) progress(`${written} -> n8n ${version} (${how})`);
    return version;
  }
  const version = await resolveN8nVersion(d.version);
  if (version !== d.version) progress(`${written} -> n8n ${version} (the highest served release in it)`);
  return version;
}
