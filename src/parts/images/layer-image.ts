import { buildImage, folderHash, hasImage, imageId, recipeHash } from './docker-build.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR } from './paths.ts';

/** Where the faketime layer puts libfaketime, whatever the base (Debian or Alpine). */
export const FAKETIME_LIBRARY = '/usr/local/lib/libfaketime.so.1';

/**
 * What can be added over an n8n image (containers/<layer>/Dockerfile, built with N8N_IMAGE):
 * libfaketime, so one container runs with its own wall clock; pm2, to run n8n under it.
 */
export const N8N_LAYERS = ['faketime', 'pm2'] as const;
export type N8nLayer = (typeof N8N_LAYERS)[number];

const resolved = new Map<string, Promise<string>>();

/** An n8n image with a layer added, built once per base image and layer recipe. */
export function resolveLayerImage(layer: N8nLayer, n8nImage: string, opts: ImageOptions): Promise<string> {
  const key = `${layer} ${n8nImage}`;
  let image = resolved.get(key);
  if (!image) {
    image = build(layer, n8nImage, opts);
    resolved.set(key, image);
    image.catch(() => resolved.delete(key));
  }
  return image;
}

async function build(layer: N8nLayer, n8nImage: string, opts: ImageOptions): Promise<string> {
  const dir = `${CONTAINERS_DIR}${layer}`;
  // The base image's id, not just its tag: an n8n image rebuilt under the same tag gets its layer again.
  const recipe = recipeHash([await folderHash(dir), n8nImage, (await imageId(n8nImage)) ?? '']);
  const [repo, tag = 'latest'] = n8nImage.split(':');
  const target = `authlab/${repo!.split('/').pop()}-${layer}:${tag}`;
  if (await hasImage(target, recipe)) return target;
  opts.progress(`adding ${layer} to ${n8nImage} as ${target}`);
  try {
    await buildImage({ contextDir: dir, tag: target, recipe, buildArgs: { N8N_IMAGE: n8nImage }, progress: opts.progress });
  } catch (err) {
    const alpine = n8nImage.startsWith('n8nio/') && layer === 'faketime';
    throw new Error(
      `could not add ${layer} to ${n8nImage}${alpine ? " (the official image is Alpine-based: its libfaketime comes from Alpine's package mirror, which did not answer; use the offline Debian build with --offline)" : ''}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return target;
}
