import { randomBytes } from 'node:crypto';
import type { StartedNetwork } from 'testcontainers';
import { N8nClient, newOwnerAccount, type ApiKey, type OwnerAccount } from '../client/n8n-client.ts';
import { registerSecret } from '../secrets.ts';
import { N8nContainer, type N8nLogLevel, type N8nReplacement, type StartedN8nContainer } from './n8n-container.ts';
import type { ProxyKind } from '../images/proxy-images.ts';
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

/** What a group of scenarios needs running; scenarios with the same spec name share one stack. */
export interface StackSpec {
  name: string;
  /** Extra n8n env on every instance. */
  env?: Record<string, string>;
  /** Independent n8n instances (own data, own owner, own key). Default 1. */
  instances?: number;
  /** Reverse proxies in front of the primary n8n, side by side, with one recording tap between them and n8n. */
  proxies?: ProxyKind[];
  /** n8n from an image with libfaketime, so scenarios can shift its clock (withClockOffset). */
  faketime?: boolean;
  /** Mock third-party APIs on the stack network, reachable from n8n by their names (on true time). */
  providers?: ProviderName[];
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
  /** Each proxy's image and first site config, for specs with proxies. */
  proxies?: Partial<Record<ProxyKind, ProxyStart>>;
  logLevel?: N8nLogLevel;
  progress?: (line: string) => void;
}

export class StartedAuthStack {
  readonly version: string;
  readonly spec: StackSpec;
  readonly network: StartedNetwork;
  readonly instances: N8nInstance[];
  readonly proxy: ProxyHandle | undefined;
  readonly providers: ProviderHandle | undefined;

  constructor(version: string, spec: StackSpec, network: StartedNetwork, instances: N8nInstance[], proxy?: ProxyHandle, providers?: ProviderHandle) {
    this.version = version;
    this.spec = spec;
    this.network = network;
    this.instances = instances;
    this.proxy = proxy;
    this.providers = providers;
  }

  get primary(): N8nInstance {
    return this.instances[0]!;
  }

  /** Replaces the primary n8n over its data (new env or image), signs in again, and keeps its API key. */
  async replacePrimary(change: N8nReplacement): Promise<N8nInstance> {
    const old = this.primary;
    const container = await old.container.replace(change);
    const client = new N8nClient(container.getBaseUrl());
    await client.login(old.owner);
    this.instances[0] = { ...old, container, client };
    return this.instances[0];
  }

  async stop(): Promise<void> {
    if (this.proxy) await stopProxies(this.proxy);
    await this.providers?.container.stop({ remove: true }).catch(() => undefined);
    await Promise.allSettled(this.instances.map((i) => i.container.stop({ remove: true })));
    await this.network.stop().catch(() => undefined);
  }
}

/** Starts the stack's network and n8n instances, sets up each owner and creates an API key. */
export async function startAuthStack(spec: StackSpec, opts: StackStartOptions): Promise<StartedAuthStack> {
  const network = await startStackNetwork(spec.name);
  const instances: N8nInstance[] = [];
  const proxy: ProxyHandle | Partial<ProxyHandle> = { servers: {} };
  const kinds = spec.proxies ?? [];
  // Behind a proxy, n8n gives its usual name to the tap, so the proxy config reads like a user's.
  const primaryAlias = kinds.length ? 'n8n-app' : 'n8n';
  let providers: ProviderHandle | undefined;
  try {
    if (spec.providers?.length) providers = await startProviders(spec, network, opts);
    for (let i = 0; i < (spec.instances ?? 1); i++) {
      opts.progress?.(`starting n8n ${opts.version} (${spec.name}${i ? ` #${i + 1}` : ''})`);
      const container = await new N8nContainer(opts.image, opts.version, spec.name)
        .withEncryptionKey(newEncryptionKey())
        .withLogLevel(opts.logLevel ?? 'debug')
        .withN8nEnv(spec.env ?? {})
        .withStackNetwork(network, i === 0 ? primaryAlias : `n8n-${i + 1}`)
        .start();
      const instance = await bootstrap(container);
      instances.push(instance);
    }
    if (kinds.length) {
      opts.progress?.(`starting the tap and ${kinds.join(', ')} in front of n8n`);
      proxy.tap = await new TapContainer(opts.image, `http://${primaryAlias}:5678`, spec.name).withStackNetwork(network, 'n8n').start();
      for (const kind of kinds) {
        const start = opts.proxies?.[kind];
        if (!start) throw new Error(`stack ${spec.name} needs a ${kind} image and config`);
        proxy.servers![kind] = await PROXY_CONTAINERS[kind](start.image, spec.name).withStackNetwork(network, kind).withSiteConfig(start.config).start();
      }
    }
  } catch (err) {
    await providers?.container.stop({ remove: true }).catch(() => undefined);
    await stopProxies(proxy);
    await Promise.allSettled(instances.map((i) => i.container.stop({ remove: true })));
    await network.stop().catch(() => undefined);
    throw err;
  }
  return new StartedAuthStack(opts.version, spec, network, instances, kinds.length ? (proxy as ProxyHandle) : undefined, providers);
}

async function startProviders(spec: StackSpec, network: StartedNetwork, opts: StackStartOptions): Promise<ProviderHandle> {
  const names = spec.providers ?? [];
  opts.progress?.(`starting the mock providers ${names.join(', ')}`);
  const secrets: Record<string, string> = {};
  for (const env of names.flatMap((n) => PROVIDERS[n].secretEnv ?? [])) secrets[env] = registerSecret(randomBytes(24).toString('hex'), 'secret');
  const container = await new ProviderContainer(opts.providerImage ?? opts.image, names, spec.name).withStackNetwork(network, names).withProviderEnv(secrets).start();
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
