import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { guideVersions, testVersions } from './versions.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    n8nImages: Record<string, string>;
    /** The same images with each layer added (libfaketime, pm2), keyed "<layer> <version>". */
    layerImages: Record<string, string>;
    serviceImages: Record<string, string>;
    /** Why a proxy image cannot be had here (its scenarios are reported as not runnable). */
    serviceImageErrors: Record<string, string>;
  }
}

/**
 * Once per test run: sweep what a killed earlier run left, check the engine, resolve (pull or
 * build) each version's image once, and hand the images to the suites. At the end, remove
 * everything this run created, whether its tests passed or not.
 */
export default async function setup(project: TestProject) {
  // The worker inherits this, so every container it creates carries this run's label.
  process.env.AUTHLAB_RUN_ID ??= `test-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const { sweep } = await import('../../src/docker/cleanup.ts');
  const { docker } = await import('../../src/docker/docker.ts');
  const { resolveN8nImages } = await import('../../src/parts/images/n8n-image.ts');
  const { imageOptionsFromEnv } = await import('../../src/parts/images/options.ts');
  const { ImageUnavailableError, SERVICE_IMAGES, resolveServiceImage } = await import('../../src/parts/images/service-images.ts');
  await docker();
  const left = await sweep({ scope: 'orphans' });
  if (left.containers + left.networks + left.volumes > 0) {
    console.log(`removed what an earlier run left: ${left.containers} container(s), ${left.networks} network(s), ${left.volumes} volume(s)`);
  }
  const opts = imageOptionsFromEnv({ progress: (l) => console.log(`  … ${l}`) });
  const services: Record<string, string> = {};
  const unavailable: Record<string, string> = {};
  // The service images are built beside n8n's (a cold n8n build mostly waits on downloads): one after another.
  const serviceBuilds = (async () => {
    for (const kind of Object.keys(SERVICE_IMAGES) as Array<keyof typeof SERVICE_IMAGES>) {
      try {
        services[kind] = await resolveServiceImage(kind, opts);
      } catch (err) {
        if (!(err instanceof ImageUnavailableError)) throw err;
        unavailable[kind] = err.message;
        console.log(`  … ${kind}: ${err.message}`);
      }
    }
  })();
  serviceBuilds.catch(() => undefined);
  // Each version checked against the registry once, then its image had: the pairs the engine runs on.
  const images = Object.fromEntries((await resolveN8nImages(testVersions(), opts)).map((n) => [n.version, n.image]));
  project.provide('n8nImages', images);
  const { assertPublishedPortsReachable } = await import('../../src/parts/stack/port-check.ts');
  await assertPublishedPortsReachable(Object.values(images)[0]!);
  const { N8N_LAYERS, resolveLayerImage } = await import('../../src/parts/images/layer-image.ts');
  const layers: Record<string, string> = {};
  // The layers (libfaketime, pm2) only the catalogue's stacks need ready: on the versions the guide suites run.
  for (const version of guideVersions()) for (const layer of N8N_LAYERS) layers[`${layer} ${version}`] = await resolveLayerImage(layer, images[version]!, opts);
  project.provide('layerImages', layers);
  await serviceBuilds;
  project.provide('serviceImages', services);
  project.provide('serviceImageErrors', unavailable);

  return async () => {
    const removed = await sweep({ scope: 'this-run' });
    console.log(`cleanup: removed ${removed.containers} container(s), ${removed.networks} network(s), ${removed.volumes} volume(s)`);
  };
}
