import { docker } from '../../docker/docker.ts';
import { hasImage, tryPull } from './docker-build.ts';
import type { ImageOptions } from './options.ts';

/** A registry mirror as given to --registry or AUTHLAB_REGISTRY: host, optional port, optional path prefix, no scheme. */
const MIRROR = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/i;

export function isRegistryMirror(value: string): boolean {
  return MIRROR.test(value);
}

/** Whether an image name starts with a registry host (ghcr.io/..., localhost:5000/...) rather than a Docker Hub path. */
function namesRegistry(image: string): boolean {
  const first = image.split('/')[0]!;
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
}

/**
 * A Docker Hub image's name on a mirror: `nginx:1.27` -> `<mirror>/library/nginx:1.27`,
 * `n8nio/n8n:2.41.0` -> `<mirror>/n8nio/n8n:2.41.0`: the layout of a pull-through cache of Docker
 * Hub (registry:2's proxy mode, Harbor's proxy projects, Nexus, Artifactory) under an optional path prefix.
 * An image of another registry is not Docker Hub's to mirror: its name stays.
 */
export function mirroredName(official: string, mirror: string): string {
  if (namesRegistry(official)) return official;
  return `${mirror.replace(/\/+$/, '')}/${official.includes('/') ? official : `library/${official}`}`;
}

/** `repo[:tag]` split at the tag's colon (a registry's port colon comes before the last slash). */
function repoAndTag(image: string): { repo: string; tag: string } {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? { repo: image.slice(0, colon), tag: image.slice(colon + 1) } : { repo: image, tag: 'latest' };
}

/**
 * Makes an official image present locally; true when it is: already here, or pulled. With a
 * mirror (`opts.registry`) it is pulled from the mirror only (a network that needs a mirror blocks
 * Docker Hub) and then tagged with its official name, the mirror's name dropped: every later lookup,
 * layer build and report then names the image as a direct pull would, and a run with the mirror and
 * one without share it.
 */
export async function haveOfficialImage(official: string, opts: Pick<ImageOptions, 'registry' | 'progress'>): Promise<boolean> {
  if (await hasImage(official)) return true;
  const mirrored = opts.registry ? mirroredName(official, opts.registry) : official;
  if (mirrored === official) return tryPull(official);
  const hadMirrorTag = await hasImage(mirrored);
  if (!hadMirrorTag && !(await tryPull(mirrored))) {
    opts.progress(`the registry mirror ${opts.registry} does not serve ${mirrored}`);
    return false;
  }
  const engine = await docker();
  await engine.getImage(mirrored).tag(repoAndTag(official));
  if (!hadMirrorTag) await engine.getImage(mirrored).remove({ noprune: true });
  opts.progress(`pulled ${official} through the registry mirror ${opts.registry} (as ${mirrored})`);
  return true;
}
