import { buildImage, folderHash, hasImage, recipeHash } from './docker-build.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR } from './paths.ts';

/** Where the layer puts libfaketime, whatever the base (Debian or Alpine). */
export const FAKETIME_LIBRARY = '/usr/local/lib/libfaketime.so.1';

const resolved = new Map<string, Promise<string>>();

/** An n8n image with libfaketime added, built once per base image. */
export function resolveFaketimeImage(n8nImage: string, opts: ImageOptions): Promise<string> {
  let image = resolved.get(n8nImage);
  if (!image) {
    image = build(n8nImage, opts);
    resolved.set(n8nImage, image);
    image.catch(() => resolved.delete(n8nImage));
  }
  return image;
}

async function build(n8nImage: string, opts: ImageOptions): Promise<string> {
  const dir = `${CONTAINERS_DIR}faketime`;
  const recipe = recipeHash([await folderHash(dir), n8nImage]);
  const [repo, tag = 'latest'] = n8nImage.split(':');
  const target = `authlab/${repo!.split('/').pop()}-faketime:${tag}`;
  if (await hasImage(target, recipe)) return target;
  opts.progress(`adding libfaketime to ${n8nImage} as ${target}`);
  try {
    await buildImage({ contextDir: dir, tag: target, recipe, buildArgs: { N8N_IMAGE: n8nImage }, progress: opts.progress });
  } catch (err) {
    const alpine = n8nImage.startsWith('n8nio/');
    throw new Error(
      `could not add libfaketime to ${n8nImage}${alpine ? ' (the official image is Alpine-based: its libfaketime comes from Alpine\'s package mirror, which did not answer; use the offline Debian build with --offline)' : ''}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return target;
}
