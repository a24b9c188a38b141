import type { ProxyKind } from '../../parts/images/service-images.ts';

/** One way a client reaches the public API through the proxy. */
export interface ApiRoute {
  /** The proxy's own name for the route: an NGINX location, a Caddy matcher, a Traefik router. */
  location: string;
  /** What the client puts before /api/v1 through this route ('' for the root). */
  prefix: string;
  /** The proxy removes the prefix before n8n sees the path (n8n serves its API at the root only). */
  stripped: boolean;
}

/** A deployment's proxy config, made to run in front of the test n8n. */
export interface ReproducedProxy {
  kind: ProxyKind;
  /** Where its config came from: a file, or labels in the compose file. */
  source: string;
  /** The whole site config for the test proxy. */
  config: string;
  /** What was changed to run it here (upstream address, TLS), one line each. */
  changes: string[];
  routes: ApiRoute[];
  /** NGINX only: `underscores_in_headers on`. */
  underscoresInHeaders?: boolean;
}

export const PROXY_NAMES: Record<ProxyKind, string> = { nginx: 'NGINX', caddy: 'Caddy', traefik: 'Traefik' };
