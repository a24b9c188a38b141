import { randomBytes } from 'node:crypto';
import type { StartedNetwork } from 'testcontainers';
import { N8nClient, newOwnerAccount, type ApiKey, type OwnerAccount } from '../client/n8n-client.ts';
import { registerSecret } from '../secrets.ts';
import {
  N8nContainer,
  N8nStartError,
  replacementFor,
  type N8nContainerSettings,
  type N8nDatabase,
  type N8nLogLevel,
  type N8nReplacement,
  type StartedN8nContainer,
} from './n8n-container.ts';
import { PostgresContainer, type StartedPostgresContainer } from './postgres-container.ts';
import { RedisContainer, type StartedRedisContainer } from './redis-container.ts';
import type { ProxyKind } from '../images/service-images.ts';
import type { N8nLayer } from '../images/layer-image.ts';
import { CaddyContainer } from './caddy-container.ts';
import { NginxContainer } from './nginx-container.ts';
import type { ReverseProxyContainer, StartedReverseProxy } from './reverse-proxy.ts';
import { TraefikContainer } from './traefik-container.ts';

const PROXY_CONTAINERS: Record<ProxyKind, (image: string, stack: string) => ReverseProxyContainer> = {
  nginx: (image, stack) => new NginxContainer(image, stack),
  caddy: (image, stack) => new CaddyContainer(image, stack),
  traefik: (image, stack) => new TraefikContainer(image, stack),
};
import { startStackNetwork } from './network.ts';
import { TapContainer, type StartedTapContainer } from './tap-container.ts';
import { ProviderContainer, type StartedProviderContainer } from './provider-container.ts';
import { PROVIDERS, type ProviderName } from '../providers/catalog.ts';
import { N8N_METRICS_ENV } from '../metrics/n8n-metrics.ts';
import { startN8nPrometheus, type StartedPrometheusContainer } from './prometheus-container.ts';

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
  /** n8n's database: SQLite in its data volume (default), or a PostgreSQL container that outlives every n8n container. */
  database?: 'sqlite' | 'postgres';
  /** Queue mode: Redis, PostgreSQL, and this many workers beside the primary (with extra env each). */
  queue?: { workers: number; workerEnv?: Record<string, string> };
  /** No N8N_ENCRYPTION_KEY: n8n generates one into its settings file, as on a first start without it. */
  generatedEncryptionKey?: boolean;
  /** n8n's metrics on (N8N_METRICS with the HTTP request metric and its status label) and a Prometheus scraping the primary every second. */
  metrics?: boolean;
}

/** The mock providers of a stack and the secrets it generated for them (shared signing secrets, say). */
export interface ProviderHandle {
  container: StartedProviderContainer;
  secrets: Record<string, string>;
}

/** The proxies in front of n8n, and the tap that records what they sent upstream. */
export interface ProxyHandle {
  servers: Partial<Record<ProxyKind, StartedReverseProxy>>;
  tap: StartedTapContainer;
}

/** What a stack needs to start a proxy of one kind. */
export interface ProxyStart {
  image: string;
  config: string;
  /** A fixed port on 127.0.0.1 (a lab's stable URL); default: a free one. */
  hostPort?: number;
}

/** One n8n with its owner signed in and an API key with every scope. */
export interface N8nInstance {
  container: StartedN8nContainer;
  client: N8nClient;
  owner: OwnerAccount;
  apiKey: ApiKey;
}

export interface StackStartOptions {
  version: string;
  image: string;
  /** An image with Node.js for the mock providers (the n8n image without libfaketime); default: image. */
  providerImage?: string;
  /** Images of the services a spec asks for (PostgreSQL, Redis). */
  services?: { postgres?: string; redis?: string; prometheus?: string };
  /** Each proxy's image and first site config, for specs with proxies. */
  proxies?: Partial<Record<ProxyKind, ProxyStart>>;
  logLevel?: N8nLogLevel;
  progress?: (line: string) => void;
}

/** Everything a started stack runs. */
export interface StackParts {
  instances: N8nInstance[];
  /** Queue-mode workers of the primary. */
  workers: StartedN8nContainer[];
  proxy?: ProxyHandle;
  providers?: ProviderHandle;
  postgres?: StartedPostgresContainer;
  redis?: StartedRedisContainer;
  prometheus?: StartedPrometheusContainer;
}

export class StartedAuthStack {
  readonly version: string;
  readonly spec: StackSpec;
  readonly network: StartedNetwork;
  readonly instances: N8nInstance[];
  readonly workers: StartedN8nContainer[];
  readonly proxy: ProxyHandle | undefined;
  readonly providers: ProviderHandle | undefined;
  readonly postgres: StartedPostgresContainer | undefined;
  readonly redis: StartedRedisContainer | undefined;
  /** Scraping the primary n8n's metrics, for stacks with `metrics`. */
  readonly prometheus: StartedPrometheusContainer | undefined;

  /** The primary as it booted: what `restorePrimary` returns it to. */
  private readonly boot: PrimaryShape;

  constructor(version: string, spec: StackSpec, network: StartedNetwork, parts: StackParts) {
    this.version = version;
    this.spec = spec;
    this.network = network;
    this.instances = parts.instances;
    this.boot = shapeOf(parts.instances[0]!.container.settings);
    this.workers = parts.workers;
    this.proxy = parts.proxy;
    this.providers = parts.providers;
    this.postgres = parts.postgres;
    this.redis = parts.redis;
    this.prometheus = parts.prometheus;
  }

  get primary(): N8nInstance {
    return this.instances[0]!;
  }

  /**
   * Replaces the primary n8n over its data (new env or image), signs in again, and keeps its API
   * key. `signIn: false` leaves the client signed out, for a scenario whose request must be the
   * first that n8n's process sees (n8n checks some headers on the first request only).
   */
  async replacePrimary(change: N8nReplacement, opts: { signIn?: boolean } = {}): Promise<N8nInstance> {
    return this.adopt(await this.primary.container.replace(change), opts.signIn ?? true);
  }

  /**
   * Replaces the primary where the new one may fail to start (a fault that stops n8n): the
   * failure is returned, and the next `startPrimaryFrom` begins over the same data.
   */
  async tryReplacePrimary(change: N8nReplacement): Promise<N8nStartError | undefined> {
    try {
      await this.replacePrimary(change);
      return undefined;
    } catch (err) {
      if (!(err instanceof N8nStartError)) throw err;
      this.failed = err;
      return err;
    }
  }

  /** After a failed replacement: starts n8n from the failed one's settings with a change (the fix). */
  async startPrimaryFrom(failure: N8nStartError, change: N8nReplacement): Promise<N8nInstance> {
    const started = await replacementFor(failure.settings, change).start();
    this.failed = undefined;
    return this.adopt(started);
  }

  /** Starts the primary with a change, whether it runs or its last start failed; returns the failure, if any. */
  async tryStartPrimary(change: N8nReplacement): Promise<N8nStartError | undefined> {
    if (!this.failed) return this.tryReplacePrimary(change);
    try {
      await this.startPrimaryFrom(this.failed, change);
      return undefined;
    } catch (err) {
      if (!(err instanceof N8nStartError)) throw err;
      this.failed = err;
      return err;
    }
  }

  private failed: N8nStartError | undefined;

  /**
   * Gives the next scenario the primary as it booted: where a scenario left n8n with other env,
   * another clock or image, or down, n8n is replaced over the same data with the boot settings.
   * Returns whether it had to.
   */
  async restorePrimary(): Promise<boolean> {
    const now = shapeOf(this.failed?.settings ?? this.primary.container.settings);
    if (!this.failed && sameShape(now, this.boot)) {
      if (!this.signedOut) return false;
      await this.primary.client.login(this.primary.owner);
      this.signedOut = false;
      return true;
    }
    const back: N8nReplacement = {
      image: this.boot.image,
      version: this.boot.version,
      env: this.boot.env,
      unset: Object.keys(now.env).filter((name) => !(name in this.boot.env)),
      clockOffset: this.boot.clockOffset ?? null,
      encryptionKey: this.boot.encryptionKey ?? null,
    };
    if (this.failed) await this.startPrimaryFrom(this.failed, back);
    else await this.replacePrimary(back);
    return true;
  }

  /** The last failed start of the primary, if the primary is down. */
  get primaryFailure(): N8nStartError | undefined {
    return this.failed;
  }

  /** The primary's client was left signed out (`replacePrimary(..., { signIn: false })`). */
  private signedOut = false;

  private async adopt(container: StartedN8nContainer, signIn = true): Promise<N8nInstance> {
    const old = this.primary;
    const client = new N8nClient(container.getBaseUrl());
    if (signIn) await client.login(old.owner);
    this.signedOut = !signIn;
    this.instances[0] = { ...old, container, client };
    return this.instances[0];
  }

  async stop(): Promise<void> {
    await stopParts(this, this.network);
  }
}

/** What a scenario may change of the primary n8n and `restorePrimary` puts back. */
type PrimaryShape = Pick<N8nContainerSettings, 'image' | 'version' | 'env' | 'clockOffset' | 'encryptionKey'>;

const shapeOf = (s: Readonly<N8nContainerSettings>): PrimaryShape => ({
  image: s.image,
  version: s.version,
  env: { ...s.env },
  clockOffset: s.clockOffset,
  encryptionKey: s.encryptionKey,
});

function sameShape(a: PrimaryShape, b: PrimaryShape): boolean {
  const names = new Set([...Object.keys(a.env), ...Object.keys(b.env)]);
  return (
    a.image === b.image &&
    a.version === b.version &&
    a.clockOffset === b.clockOffset &&
    a.encryptionKey === b.encryptionKey &&
    [...names].every((n) => a.env[n] === b.env[n])
  );
}

/** Starts the stack's network, its services and n8n instances, sets up each owner and creates an API key. */
export async function startAuthStack(spec: StackSpec, opts: StackStartOptions): Promise<StartedAuthStack> {
  const network = await startStackNetwork(spec.name);
  const parts: Partial<StackParts> = { instances: [], workers: [] };
  const kinds = spec.proxies ?? [];
  // Behind a proxy, n8n gives its usual name to the tap, so the proxy config reads like a user's.
  const primaryAlias = kinds.length ? 'n8n-app' : 'n8n';
  try {
    const database = await startDatabase(spec, network, opts, parts);
    if (spec.queue) {
      opts.progress?.('starting Redis for queue mode');
      parts.redis = await new RedisContainer(serviceImage(opts, 'redis'), spec.name).withStackNetwork(network).start();
    }
    if (spec.providers?.length) parts.providers = await startProviders(spec, network, opts);
    // Before n8n: Prometheus applies its first scrape targets about 5 s after it starts, which n8n's boot then covers.
    if (spec.metrics) {
      opts.progress?.('starting Prometheus to scrape n8n');
      parts.prometheus = await startN8nPrometheus(serviceImage(opts, 'prometheus'), network, spec.name, primaryAlias);
    }
    const queueEnv = parts.redis?.queueEnv() ?? {};
    for (let i = 0; i < (spec.instances ?? 1); i++) {
      opts.progress?.(`starting n8n ${opts.version} (${spec.name}${i ? ` #${i + 1}` : ''})`);
      const main = new N8nContainer(opts.image, opts.version, spec.name)
        .withLogLevel(opts.logLevel ?? 'debug')
        .withDatabase(database)
        .withN8nEnv({ ...queueEnv, ...(spec.metrics ? N8N_METRICS_ENV : {}), ...spec.env })
        .withStackNetwork(network, i === 0 ? primaryAlias : `n8n-${i + 1}`);
      if (!spec.generatedEncryptionKey) main.withEncryptionKey(newEncryptionKey());
      parts.instances!.push(await bootstrap(await main.start()));
    }
    for (let w = 0; w < (spec.queue?.workers ?? 0); w++) {
      opts.progress?.(`starting n8n worker #${w + 1}`);
      parts.workers!.push(await workerOf(parts.instances![0]!.container, `n8n-worker-${w + 1}`, { env: spec.queue?.workerEnv ?? {} }).start());
    }
    if (kinds.length) {
      opts.progress?.(`starting the tap and ${kinds.join(', ')} in front of n8n`);
      const servers: Partial<Record<ProxyKind, StartedReverseProxy>> = {};
      parts.proxy = { servers, tap: await new TapContainer(opts.image, `http://${primaryAlias}:5678`, spec.name).withStackNetwork(network, 'n8n').start() };
      for (const kind of kinds) {
        const start = opts.proxies?.[kind];
        if (!start) throw new Error(`stack ${spec.name} needs a ${kind} image and config`);
        const proxy = PROXY_CONTAINERS[kind](start.image, spec.name).withStackNetwork(network, kind).withSiteConfig(start.config);
        servers[kind] = await (start.hostPort ? proxy.withHostPort(start.hostPort) : proxy).start();
      }
    }
  } catch (err) {
    await stopParts(parts, network);
    throw err;
  }
  return new StartedAuthStack(opts.version, spec, network, parts as StackParts);
}

/** A worker for a main: the same image, database, queue and encryption key (unless told otherwise). */
export function workerOf(main: StartedN8nContainer, alias: string, change: N8nReplacement = {}): N8nContainer {
  return replacementFor({ ...main.settings, alias, dataVolume: undefined, files: [] }, { ...change, freshData: true }).asWorker();
}

function serviceImage(opts: StackStartOptions, kind: 'postgres' | 'redis' | 'prometheus'): string {
  const image = opts.services?.[kind];
  if (!image) throw new Error(`this stack needs a ${kind} image`);
  return image;
}

async function startDatabase(spec: StackSpec, network: StartedNetwork, opts: StackStartOptions, parts: Partial<StackParts>): Promise<N8nDatabase> {
  if (spec.database !== 'postgres' && !spec.queue) return { type: 'sqlite' };
  opts.progress?.('starting PostgreSQL');
  parts.postgres = await new PostgresContainer(serviceImage(opts, 'postgres'), spec.name).withStackNetwork(network).start();
  return parts.postgres.n8nDatabase;
}

async function stopParts(parts: Partial<StackParts>, network: StartedNetwork): Promise<void> {
  if (parts.proxy) await stopProxies(parts.proxy);
  const containers = [
    ...(parts.workers ?? []),
    ...(parts.instances ?? []).map((i) => i.container),
    parts.providers?.container,
    parts.redis,
    parts.postgres,
    parts.prometheus,
  ];
  await Promise.allSettled(containers.map((c) => c?.stop({ remove: true })));
  await network.stop().catch(() => undefined);
}

async function startProviders(spec: StackSpec, network: StartedNetwork, opts: StackStartOptions): Promise<ProviderHandle> {
  const names = spec.providers ?? [];
  opts.progress?.(`starting the mock providers ${names.join(', ')}`);
  const secrets: Record<string, string> = {};
  for (const env of names.flatMap((n) => PROVIDERS[n].secretEnv ?? [])) secrets[env] = registerSecret(randomBytes(24).toString('hex'), 'secret');
  const container = await new ProviderContainer(opts.providerImage ?? opts.image, names, spec.name)
    .withStackNetwork(network, names)
    .withProviderEnv(secrets)
    .start();
  return { container, secrets };
}

async function stopProxies(proxy: Partial<ProxyHandle>): Promise<void> {
  await Promise.allSettled([...Object.values(proxy.servers ?? {}).map((s) => s.stop({ remove: true })), proxy.tap?.stop({ remove: true })]);
}

async function bootstrap(container: StartedN8nContainer): Promise<N8nInstance> {
  const client = new N8nClient(container.getBaseUrl());
  const owner = newOwnerAccount();
  try {
    await client.setupOwner(owner);
    const apiKey = await client.createApiKey({ label: 'authlab' });
    return { container, client, owner, apiKey };
  } catch (err) {
    await container.stop({ remove: true });
    throw err;
  }
}

export function newEncryptionKey(): string {
  return registerSecret(randomBytes(24).toString('hex'), 'encryption-key');
}
