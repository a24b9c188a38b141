import type { Progress } from './docker-build.ts';

export interface ImageOptions {
  /** Build from containers/ even when a registry could serve the official image. */
  offline: boolean;
  /** An extra CA bundle (PEM) for TLS-intercepting proxies, used by npm inside builds. */
  caBundle?: string;
  progress: Progress;
  /**
   * A registry mirror (`host[:port][/prefix]`) the official images are pulled through:
   * `<mirror>/n8nio/n8n:<version>`, `<mirror>/library/nginx:<tag>`. Unset: pulled from Docker Hub.
   */
  registry?: string;
  /** Rebuild from scratch, ignoring cached images and layers (the benchmark's cold build). */
  noCache?: boolean;
}

/**
 * AUTHLAB_OFFLINE=1 forces offline builds; AUTHLAB_CA_BUNDLE (or NODE_EXTRA_CA_CERTS) names the
 * extra CA bundle; AUTHLAB_REGISTRY names a registry mirror for the official images.
 */
export function imageOptionsFromEnv(overrides: Partial<ImageOptions> = {}): ImageOptions {
  const flag = process.env.AUTHLAB_OFFLINE;
  return {
    offline: flag !== undefined && flag !== '' && flag !== '0' && flag !== 'false',
    caBundle: process.env.AUTHLAB_CA_BUNDLE || process.env.NODE_EXTRA_CA_CERTS || undefined,
    registry: process.env.AUTHLAB_REGISTRY || undefined,
    progress: () => undefined,
    ...overrides,
  };
}
