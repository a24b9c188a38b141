import type { N8nLayer } from '../images/layer-image.ts';
import type { ProxyKind, ServiceKind } from '../images/service-images.ts';
import type { ProviderName } from '../providers/catalog.ts';
import type { N8nLogLevel } from './n8n-container.ts';

/** What a group of scenarios needs running; scenarios with the same spec name share one stack. */
export interface StackSpec {
  name: string;
  /** Extra n8n env on every instance. */
  env?: Record<string, string>;
  /** Independent n8n instances (own data, own owner, own key). Default 1. */
  instances?: number;
  /** Reverse proxies in front of the primary n8n, side by side, with one recording tap between them and n8n. */
  proxies?: ProxyKind[];
  /** n8n from its image with a layer: `faketime` so scenarios can shift its clock (withClockOffset), `pm2` to run it under pm2. */
  layer?: N8nLayer;
  /** Mock third-party APIs on the stack network, reachable from n8n by their names (on true time). */
  providers?: ProviderName[];
  /**
   * n8n env variables that hold a provider secret's value, for workflows that read them with `$env`
   * (`{ API_KEY: 'BEARER_API_TOKEN' }`); queue workers inherit them from the main.
   */
  providerSecretsInEnv?: Record<string, string>;
  /** n8n's database: SQLite in its data volume (default), or a PostgreSQL container that outlives every n8n container. */
  database?: 'sqlite' | 'postgres';
  /** Queue mode: Redis, PostgreSQL, and this many workers beside the primary (with extra env each). */
  queue?: { workers: number; workerEnv?: Record<string, string> };
  /** No N8N_ENCRYPTION_KEY: n8n generates one into its settings file, as on a first start without it. */
  generatedEncryptionKey?: boolean;
  /** n8n's metrics on (N8N_METRICS with the HTTP request metric and its status label) and a Prometheus scraping the primary every second. */
  metrics?: boolean;
  /** Task runners in external mode: n8n's broker on the stack network and one JS task runner container, on one generated N8N_RUNNERS_AUTH_TOKEN. */
  taskRunner?: boolean;
  /** An OAuth 2.0 authorization server (oidc-provider) on the stack network as `oauth`, for n8n's OAuth2 credentials. */
  oauthProvider?: boolean;
  /** An SMTP server (smtp-server) on the stack network as `mail`, one user's login required; n8n boots mailing through it (N8N_EMAIL_MODE=smtp, N8N_SMTP_*). */
  mailServer?: boolean;
  /**
   * n8n backend modules the stack needs loaded (`mcp`): asked for with N8N_ENABLED_MODULES, which
   * versions that load them by default ignore; a version that does not know one at all refuses to
   * start with it, and is started without it (its scenarios then find the feature missing).
   */
  modules?: string[];
}

/** The first site config of a proxy kind, and where it is published. */
export interface ProxySite {
  config: string;
  /** A fixed port on 127.0.0.1 (a lab's stable URL); default: a free one. */
  hostPort?: number;
}

export interface StackStartOptions {
  version: string;
  image: string;
  /** An image with Node.js for the mock providers (the n8n image without libfaketime); default: image. */
  providerImage?: string;
  /** The images of the services the spec needs (`serviceImagesOf(spec)` says which). */
  serviceImages?: Partial<Record<ServiceKind, string>>;
  /** Each proxy's first site config, for specs with proxies. */
  proxies?: Partial<Record<ProxyKind, ProxySite>>;
  logLevel?: N8nLogLevel;
  progress?: (line: string) => void;
}
