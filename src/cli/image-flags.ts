import { isRegistryMirror } from '../parts/images/official-image.ts';
import { imageOptionsFromEnv, type ImageOptions } from '../parts/images/options.ts';
import { UserError } from '../base/user-error.ts';
import { readPemBundleNow } from './input-files.ts';
import type { IMAGE_OPTIONS, Values } from './options.ts';

/**
 * The image options of a command that resolves images: its flags (--offline, --ca-bundle, --registry)
 * over the environment's, checked before anything is built (a CA bundle must be a readable PEM file).
 */
export function imageOptionsFromFlags(values: Values<typeof IMAGE_OPTIONS>, progress: (line: string) => void): ImageOptions {
  const opts = imageOptionsFromEnv({
    progress,
    ...(values.offline ? { offline: true } : {}),
    ...(values['ca-bundle'] ? { caBundle: values['ca-bundle'] } : {}),
    ...(values.registry ? { registry: values.registry } : {}),
  });
  if (opts.registry !== undefined && !isRegistryMirror(opts.registry)) {
    const source = values.registry ? '--registry' : 'AUTHLAB_REGISTRY';
    throw new UserError(
      `${source} takes a registry mirror as host[:port][/prefix] with no scheme (mirror.example.com, harbor.example.com/dockerhub, 127.0.0.1:5000), not "${opts.registry}"`,
    );
  }
  if (opts.caBundle !== undefined) readPemBundleNow(opts.caBundle, values['ca-bundle'] ? '--ca-bundle' : caBundleVariable());
  return opts;
}

const caBundleVariable = () => (process.env.AUTHLAB_CA_BUNDLE ? 'AUTHLAB_CA_BUNDLE' : 'NODE_EXTRA_CA_CERTS');
