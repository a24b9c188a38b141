import { startAuthStack, type StackSpec, type StartedAuthStack } from '../parts/stack/auth-stack.ts';
import { resolveServiceImages } from '../parts/stack/services/registry.ts';
import type { ProxySite } from '../parts/stack/stack-spec.ts';
import type { N8nLogLevel } from '../parts/stack/n8n-container.ts';
import type { ProxyKind, ServiceKind } from '../parts/images/service-images.ts';
import type { N8nLayer } from '../parts/images/layer-image.ts';
import type { N8nImage } from '../parts/images/n8n-image.ts';
import { initialSite } from '../parts/proxy/site-config.ts';
import type { Scenario } from '../core/types.ts';

export interface StackPoolOptions {
  /** The n8n versions this pool boots, each with its image (resolved once by the caller). */
  n8n: readonly N8nImage[];
  /** An n8n image with a layer added (libfaketime, pm2), for stacks that ask for one. */
  layerImage?: (layer: N8nLayer, n8nImage: string) => Promise<string>;
  /** The image of a service kind, for stacks that run it. */
  serviceImage?: (kind: ServiceKind) => Promise<string>;
  logLevel?: N8nLogLevel;
  progress?: (line: string) => void;
  /** Fixed ports on 127.0.0.1 for proxies (a lab's stable URL); default: free ones. */
  proxyHostPorts?: Partial<Record<ProxyKind, number>>;
}

/**
 * Boots each distinct stack once per version and hands it to every scenario that asks for the
 * same spec. A scenario that changes its stack for good gets one of its own.
 */
export class StackPool {
  private readonly stacks = new Map<string, Promise<StartedAuthStack>>();
  private readonly opts: StackPoolOptions;
  /** Each distinct stack this pool started, with how long it took to be ready. */
  readonly booted: Array<{ key: string; ms: number }> = [];

  constructor(opts: StackPoolOptions) {
    this.opts = opts;
  }

  static keyOf(version: string, scenario: Pick<Scenario, 'id' | 'stack' | 'changesStack'>): string {
    return `${version}/${scenario.stack.name}${scenario.changesStack ? `/${scenario.id}` : ''}`;
  }

  acquire(version: string, scenario: Pick<Scenario, 'id' | 'stack' | 'changesStack'>): Promise<StartedAuthStack> {
    const key = StackPool.keyOf(version, scenario);
    let stack = this.stacks.get(key);
    if (!stack) {
      const spec: StackSpec = scenario.changesStack ? { ...scenario.stack, name: `${scenario.stack.name}-${scenario.id}` } : scenario.stack;
      stack = (async () => {
        const n8nImage = this.n8nImage(version);
        if (spec.layer && !this.opts.layerImage) throw new Error(`this pool was given no ${spec.layer} images`);
        const image = spec.layer ? await this.opts.layerImage!(spec.layer, n8nImage) : n8nImage;
        const serviceImages = await resolveServiceImages(spec, (kind) => this.serviceImage(kind));
        const proxies: Partial<Record<ProxyKind, ProxySite>> = {};
        for (const kind of spec.proxies ?? []) proxies[kind] = { config: await initialSite(kind).render(), hostPort: this.opts.proxyHostPorts?.[kind] };
        const started = Date.now();
        const stack = await startAuthStack(spec, {
          version,
          image,
          providerImage: n8nImage,
          serviceImages,
          proxies,
          logLevel: this.opts.logLevel ?? 'debug',
          progress: this.opts.progress,
        });
        this.booted.push({ key, ms: Date.now() - started });
        return stack;
      })();
      // A stack that failed to start stays failed for this run: every scenario on it reports the
      // same error at once instead of waiting out another start timeout.
      this.stacks.set(key, stack);
      stack.catch(() => undefined);
    }
    return stack;
  }

  private n8nImage(version: string): string {
    const pair = this.opts.n8n.find((n) => n.version === version);
    if (!pair) throw new Error(`this pool was given no image for n8n ${version}`);
    return pair.image;
  }

  private serviceImage(kind: ServiceKind): Promise<string> {
    if (!this.opts.serviceImage) throw new Error('this pool was given no service images');
    return this.opts.serviceImage(kind);
  }

  /**
   * After each scenario: a stack of its own is stopped; a shared one gets its primary n8n and its
   * queue workers back as they booted (a scenario may have restarted them with other env or clock). A stack that cannot be
   * restored stays failed for the scenarios after it.
   */
  async handBack(version: string, scenario: Pick<Scenario, 'id' | 'stack' | 'changesStack'>): Promise<void> {
    if (scenario.changesStack) return this.release(version, scenario);
    const key = StackPool.keyOf(version, scenario);
    const stack = await this.stacks.get(key)?.catch(() => undefined);
    if (!stack) return;
    try {
      if (await stack.restorePrimary()) this.opts.progress?.(`n8n ${version} (${stack.spec.name}) restored to its boot settings for the next scenario`);
      if (await stack.restoreWorkers()) this.opts.progress?.(`n8n ${version} (${stack.spec.name}) workers restored to their boot settings`);
    } catch (err) {
      const failed = Promise.reject(
        new Error(`the shared stack ${stack.spec.name} could not be restored after ${scenario.id}: ${err instanceof Error ? err.message : String(err)}`),
      );
      failed.catch(() => undefined);
      this.stacks.set(key, failed);
      await stack.stop().catch(() => undefined);
    }
  }

  async release(version: string, scenario: Pick<Scenario, 'id' | 'stack' | 'changesStack'>): Promise<void> {
    const key = StackPool.keyOf(version, scenario);
    const stack = this.stacks.get(key);
    this.stacks.delete(key);
    if (stack) await (await stack.catch(() => undefined))?.stop();
  }

  async stopAll(): Promise<void> {
    const all = [...this.stacks.values()];
    this.stacks.clear();
    await Promise.allSettled(all.map(async (s) => (await s).stop()));
  }
}
