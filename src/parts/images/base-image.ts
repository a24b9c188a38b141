import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { docker } from '../../docker/docker.ts';
import { hasImage } from './docker-build.ts';
import { haveOfficialImage } from './official-image.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR } from './paths.ts';

const run = promisify(execFile);

/** What every offline build starts FROM. */
export const BASE_IMAGE = 'authlab/debian:bookworm';
const OFFICIAL_BASE = 'debian:bookworm';

let ensured: Promise<void> | undefined;

/** The Debian base: pulled when a registry (or the mirror) answers, else made with debootstrap (root only). */
export function ensureBaseImage(opts: ImageOptions): Promise<void> {
  ensured ??= (async () => {
    if (await hasImage(BASE_IMAGE)) return;
    if (!opts.offline && (await haveOfficialImage(OFFICIAL_BASE, opts))) {
      const [repo = BASE_IMAGE, tag = 'latest'] = BASE_IMAGE.split(':');
      await (await docker()).getImage(OFFICIAL_BASE).tag({ repo, tag });
      return;
    }
    if (process.getuid?.() !== 0) {
      throw new Error(
        `the base image ${BASE_IMAGE} is missing and no registry serves ${OFFICIAL_BASE}; ` + `make it once as root: bash ${CONTAINERS_DIR}host/base-image.sh`,
      );
    }
    opts.progress(`making ${BASE_IMAGE} with debootstrap (about a minute)`);
    await run('bash', [`${CONTAINERS_DIR}host/base-image.sh`, BASE_IMAGE], { timeout: 15 * 60_000 });
  })();
  ensured.catch(() => (ensured = undefined));
  return ensured;
}
