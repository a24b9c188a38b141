import type { ProxyKind } from '../../parts/images/service-images.ts';
import type { SiteConfig } from '../../parts/proxy/site-config.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { proxyOf } from './requests.ts';

const RUNNING_CONFIG: Record<ProxyKind, string> = { nginx: 'nginx -T', caddy: 'caddy adapt', traefik: "Traefik's /api/rawdata" };

/** A line the running config must show (or, with `absent`, must not) for a change to count as applied. */
export interface Live {
  what: string;
  test: RegExp;
  absent?: boolean;
}

/** Renders the site, reloads the proxy (no restart), and proves from the running config that the change is live. */
export async function applySite(ctx: ScenarioContext, site: SiteConfig, expectLive: Live[]): Promise<Check[]> {
  const server = proxyOf(ctx, site.kind).server;
  const effective = await server.applySiteConfig(await site.render());
  const source = RUNNING_CONFIG[server.kind];
  return expectLive.map((l) => {
    const line = effective
      .split('\n')
      .find((x) => l.test.test(x))
      ?.trim();
    const ok = l.absent ? line === undefined : line !== undefined;
    return check(`${source} ${l.absent ? 'lacks' : 'shows'} ${l.what}`, ok, line ?? `no line matches ${l.test.source}`);
  });
}
