import type { ProxyKind } from '../../parts/images/service-images.ts';
import type { NginxEdit } from '../../parts/proxy/nginx-config.ts';
import { edits } from '../../parts/proxy/nginx-config.ts';
import { nginxSite, traefikSite, type SiteConfig } from '../../parts/proxy/site-config.ts';
import { TRAEFIK_TRUSTING_ENTRYPOINT } from '../../parts/stack/traefik-container.ts';
import type { StackSpec } from '../../parts/stack/stack-spec.ts';
import type { Live } from '../proxy/live-site.ts';

/**
 * One n8n with NGINX and Traefik side by side in front of it; every scenario of the family shares
 * it. n8n boots with N8N_PROXY_HOPS=1, right for one proxy: the fix most scenarios end on, so that
 * no boot is needed to put n8n back after them.
 */
export const ALLOWLIST_STACK: StackSpec = { name: 'allowlist', proxies: ['nginx', 'traefik'], env: { N8N_PROXY_HOPS: '1' } };

/** The hops n8n boots with on this stack. */
export const BOOT_HOPS = 1;

/**
 * The primary n8n's own name on a stack with a tap: the proxies here pass straight to it, so that
 * the address n8n sees a request come from is the proxy's (the tap would put its own in between).
 */
export const N8N_ITSELF = 'n8n-app';

/** Every `proxy_pass http://n8n:5678` of every server block passes to n8n itself instead. */
const straightToN8n: NginxEdit = (t) => {
  for (const s of t.nginx.server ?? [])
    for (const l of s.location ?? []) for (const p of l.proxy_pass ?? []) p._value = String(p._value).replace('//n8n:', `//${N8N_ITSELF}:`);
};

export type RouteName = 'nginx' | 'two-nginx' | 'traefik' | 'traefik-trusting';

/** A way to n8n through proxies: the site config, what its running config must show, and its URL on the stack network. */
export interface Route {
  /** In a few words, for labels: "one NGINX". */
  what: string;
  /** The proxy the client connects to, and whose name resolves to the address n8n sees without N8N_PROXY_HOPS. */
  kind: ProxyKind;
  site: SiteConfig;
  live: Live[];
  /** Its base URL on the stack network. */
  base: string;
  /** The proxies the request passes, one after another: the right N8N_PROXY_HOPS. */
  hops: number;
}

const TO_N8N: Live = { what: 'a proxy_pass straight to n8n', test: new RegExp(`proxy_pass\\s+http://${N8N_ITSELF}:5678`) };
const APPENDS_FORWARDED_FOR: Live = { what: 'X-Forwarded-For appended', test: /proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for/ };
const TRAEFIK_SITE = traefikSite({ upstream: `http://${N8N_ITSELF}:5678`, entryPoints: ['web', TRAEFIK_TRUSTING_ENTRYPOINT.name] });
const TRAEFIK_LIVE: Live[] = [{ what: 'the service passing straight to n8n', test: new RegExp(`${N8N_ITSELF}:5678`) }];

export const ROUTES: Record<RouteName, Route> = {
  nginx: {
    what: 'one NGINX',
    kind: 'nginx',
    site: nginxSite('guide-example', edits.forwardedFor, straightToN8n),
    live: [TO_N8N, APPENDS_FORWARDED_FOR],
    base: 'http://nginx',
    hops: 1,
  },
  'two-nginx': {
    what: 'two NGINX hops',
    kind: 'nginx',
    site: nginxSite('two-hops', straightToN8n),
    live: [{ what: 'the first hop passing to the second', test: /proxy_pass\s+http:\/\/127\.0\.0\.1:8081/ }, TO_N8N, APPENDS_FORWARDED_FOR],
    base: 'http://nginx',
    hops: 2,
  },
  traefik: { what: "Traefik's default entry point", kind: 'traefik', site: TRAEFIK_SITE, live: TRAEFIK_LIVE, base: 'http://traefik', hops: 1 },
  'traefik-trusting': {
    what: 'a Traefik entry point with forwardedHeaders.insecure',
    kind: 'traefik',
    site: TRAEFIK_SITE,
    live: TRAEFIK_LIVE,
    base: `http://traefik:${TRAEFIK_TRUSTING_ENTRYPOINT.port}`,
    hops: 1,
  },
};

/** NGINX's one hop, with X-Forwarded-For set to the address it received the request from (a client's own value dropped). */
export const NGINX_OVERWRITES_FORWARDED_FOR = nginxSite('guide-example', straightToN8n, (t) => {
  const location = t.nginx.server?.[0]?.location?.[0];
  if (!location) throw new Error('the NGINX config has no location block');
  location._add('proxy_set_header', 'X-Forwarded-For $remote_addr');
});
