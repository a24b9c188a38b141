import type { StartedNetwork } from 'testcontainers';
import { N8nClient, type ApiKey, type OwnerAccount } from '../client/n8n-client.ts';
import { N8nStartError, replacementFor, type N8nContainerSettings, type N8nReplacement, type StartedN8nContainer } from './n8n-container.ts';
import type { StartedPostgresContainer } from './postgres-container.ts';
import type { StartedRedisContainer } from './redis-container.ts';
import type { ProviderHandle } from './services/providers.ts';
import type { ProxyHandle } from './services/proxies.ts';
import { type StartedServices, stopServices } from './services/registry.ts';
import type { StackSpec } from './stack-spec.ts';

/** One n8n with its owner signed in and an API key with every scope. */
export interface N8nInstance {
  container: StartedN8nContainer;
  client: N8nClient;
  owner: OwnerAccount;
  apiKey: ApiKey;
}

/** Everything a started stack runs. */
export interface StackParts {
  instances: N8nInstance[];
  /** Queue-mode workers of the primary. */
  workers: StartedN8nContainer[];
  services: StartedServices;
}

export class StartedAuthStack {
  readonly version: string;
  readonly spec: StackSpec;
  readonly network: StartedNetwork;
  readonly instances: N8nInstance[];
  readonly workers: StartedN8nContainer[];
  /** The services besides n8n this stack runs (services/registry.ts). */
  readonly services: StartedServices;

  /** The primary as it booted: what `restorePrimary` returns it to. */
  private readonly boot: PrimaryShape;
  /** Each queue worker as it booted: what `restoreWorkers` returns them to. */
  private readonly workersBoot: PrimaryShape[];

  constructor(version: string, spec: StackSpec, network: StartedNetwork, parts: StackParts) {
    this.version = version;
    this.spec = spec;
    this.network = network;
    this.instances = parts.instances;
    this.boot = shapeOf(parts.instances[0]!.container.settings);
    this.workers = parts.workers;
    this.workersBoot = parts.workers.map((w) => shapeOf(w.settings));
    this.services = parts.services;
  }

  get proxy(): ProxyHandle | undefined {
    return this.services.proxy;
  }

  get providers(): ProviderHandle | undefined {
    return this.services.providers;
  }

  get postgres(): StartedPostgresContainer | undefined {
    return this.services.postgres;
  }

  get redis(): StartedRedisContainer | undefined {
    return this.services.redis;
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
    const back = backTo(this.boot, now);
    if (this.failed) await this.startPrimaryFrom(this.failed, back);
    else await this.replacePrimary(back);
    return true;
  }

  /**
   * Gives the next scenario the queue workers as they booted: each one a scenario replaced with
   * other env (or key, or image) is replaced again with its boot settings. Workers a scenario added
   * are its own to stop. Returns whether it had to.
   */
  async restoreWorkers(): Promise<boolean> {
    let restored = false;
    for (const [i, boot] of this.workersBoot.entries()) {
      const worker = this.workers[i];
      if (!worker || sameShape(shapeOf(worker.settings), boot)) continue;
      this.workers[i] = await worker.replace(backTo(boot, shapeOf(worker.settings)));
      restored = true;
    }
    return restored;
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

/** The change that takes an n8n from `now` back to `boot`. */
function backTo(boot: PrimaryShape, now: PrimaryShape): N8nReplacement {
  return {
    image: boot.image,
    version: boot.version,
    env: boot.env,
    unset: Object.keys(now.env).filter((name) => !(name in boot.env)),
    clockOffset: boot.clockOffset ?? null,
    encryptionKey: boot.encryptionKey ?? null,
  };
}

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

/** Stops what started of a stack: the services in front of n8n, then n8n and the services behind it; then its network. */
export async function stopParts(parts: Partial<StackParts>, network: StartedNetwork): Promise<void> {
  const services = parts.services ?? {};
  await stopServices('after-n8n', services);
  const n8n = [...(parts.workers ?? []), ...(parts.instances ?? []).map((i) => i.container)];
  await Promise.allSettled([...n8n.map((c) => c.stop({ remove: true })), stopServices('before-n8n', services)]);
  await network.stop().catch(() => undefined);
}
