import { ensureBaseImage } from './base-image.ts';
import { buildImage, folderHash, hasImage, tryPull } from './docker-build.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR } from './paths.ts';

/** A proxy image: the official one when a registry serves it, else built from its recipe in containers/. */
interface ProxyImage {
  official: string;
  offline: string;
  recipe: string;
}

export const PROXY_IMAGES = {
  nginx: { official: 'nginx:1.27', offline: 'authlab/nginx:bookworm', recipe: 'nginx' },
  caddy: { official: 'caddy:2', offline: 'authlab/caddy:bookworm', recipe: 'caddy' },
} satisfies Record<string, ProxyImage>;

export type ProxyKind = keyof typeof PROXY_IMAGES;

const resolved = new Map<ProxyKind, Promise<string>>();

export function resolveProxyImage(kind: ProxyKind, opts: ImageOptions): Promise<string> {
  let image = resolved.get(kind);
  if (!image) {
    image = resolve(PROXY_IMAGES[kind], opts);
    resolved.set(kind, image);
    image.catch(() => resolved.delete(kind));
  }
  return image;
}

async function resolve(p: ProxyImage, opts: ImageOptions): Promise<string> {
  if (!opts.offline && ((await hasImage(p.official)) || (await tryPull(p.official)))) return p.official;
  const dir = `${CONTAINERS_DIR}${p.recipe}`;
  const recipe = await folderHash(dir);
  if (await hasImage(p.offline, recipe)) return p.offline;
  await ensureBaseImage(opts);
  opts.progress(`building ${p.offline}`);
  await buildImage({ contextDir: dir, tag: p.offline, recipe, progress: opts.progress });
  return p.offline;
}
