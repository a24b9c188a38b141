import type { ProxyKind } from '../../images/service-images.ts';
import { CaddyContainer } from '../caddy-container.ts';
import { NginxContainer } from '../nginx-container.ts';
import { N8N_PORT } from '../n8n-container.ts';
import type { ReverseProxyContainer, StartedReverseProxy } from '../reverse-proxy.ts';
import { type StartedTapContainer, TapContainer } from '../tap-container.ts';
import { TraefikContainer } from '../traefik-container.ts';
import type { StackService } from './stack-service.ts';

/** The proxies in front of n8n, and the tap that records what they sent upstream. */
export interface ProxyHandle {
  servers: Partial<Record<ProxyKind, StartedReverseProxy>>;
  tap: StartedTapContainer;
}

const PROXY_CONTAINERS: Record<ProxyKind, (image: string, stack: string) => ReverseProxyContainer> = {
  nginx: (image, stack) => new NginxContainer(image, stack),
  caddy: (image, stack) => new CaddyContainer(image, stack),
  traefik: (image, stack) => new TraefikContainer(image, stack),
};

async function stopProxies(proxy: Partial<ProxyHandle>): Promise<void> {
  await Promise.allSettled([...Object.values(proxy.servers ?? {}).map((s) => s.stop({ remove: true })), proxy.tap?.stop({ remove: true })]);
}

/**
 * Reverse proxies side by side in front of the primary n8n, with one recording tap between them
 * and n8n. The tap takes n8n's usual name, so each proxy's config reads like a user's.
 */
export const proxiesService: StackService<ProxyHandle> = {
  describe: (spec) => `the tap and ${(spec.proxies ?? []).join(', ')} in front of n8n`,
  neededBy: (spec) => (spec.proxies?.length ?? 0) > 0,
  images: (spec) => spec.proxies ?? [],
  takesN8nAlias: true,
  startsAfterN8n: true,
  start: async (ctx) => {
    const servers: Partial<Record<ProxyKind, StartedReverseProxy>> = {};
    const tap = await new TapContainer(ctx.opts.image, `http://${ctx.primaryAlias}:${N8N_PORT}`, ctx.spec.name).withStackNetwork(ctx.network, 'n8n').start();
    try {
      for (const kind of ctx.spec.proxies ?? []) {
        const site = ctx.opts.proxies?.[kind];
        if (!site) throw new Error(`stack ${ctx.spec.name} needs a ${kind} site config`);
        const proxy = PROXY_CONTAINERS[kind](ctx.image(kind), ctx.spec.name).withStackNetwork(ctx.network, kind).withSiteConfig(site.config);
        servers[kind] = await (site.hostPort ? proxy.withHostPort(site.hostPort) : proxy).start();
      }
    } catch (err) {
      await stopProxies({ servers, tap });
      throw err;
    }
    return { servers, tap };
  },
  stop: stopProxies,
};
