import { ensureBaseImage } from './base-image.ts';
import { buildImage, folderHash, hasImage, tryPull } from './docker-build.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR } from './paths.ts';

const OFFICIAL = 'nginx:1.27';
const OFFLINE = 'authlab/nginx:bookworm';

let resolved: Promise<string> | undefined;

/** The official NGINX image when a registry serves it, else Debian's nginx-light built from containers/nginx. */
export function resolveNginxImage(opts: ImageOptions): Promise<string> {
  resolved ??= (async () => {
    if (!opts.offline && ((await hasImage(OFFICIAL)) || (await tryPull(OFFICIAL)))) return OFFICIAL;
    const dir = `${CONTAINERS_DIR}nginx`;
    const recipe = await folderHash(dir);
    if (await hasImage(OFFLINE, recipe)) return OFFLINE;
    await ensureBaseImage(opts);
    opts.progress(`building ${OFFLINE}`);
    await buildImage({ contextDir: dir, tag: OFFLINE, recipe, progress: opts.progress });
    return OFFLINE;
  })();
  resolved.catch(() => (resolved = undefined));
  return resolved;
}
