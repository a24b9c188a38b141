import { rootLocation, type NginxEdit } from '../../parts/proxy/nginx-config.ts';
import { nginxSite, type SiteConfig } from '../../parts/proxy/site-config.ts';
import type { Live } from '../proxy/support.ts';

/** What NGINX needs to pass a websocket on: HTTP/1.1 upstream and the hop-by-hop Upgrade and Connection headers. */
const upgradeHeaders: NginxEdit = (t) => {
  const l = rootLocation(t);
  l._add('proxy_http_version', '1.1');
  l._add('proxy_set_header', 'Upgrade $http_upgrade');
  l._add('proxy_set_header', 'Connection "upgrade"');
};

/** `proxy_set_header Host $http_host`: the Host as the browser sent it, port included (`$host` drops the port). */
const hostWithPort: NginxEdit = (t) => {
  const host = (rootLocation(t).proxy_set_header ?? []).find((d) => /^Host\s+\$host$/i.test(String(d._value).trim()));
  if (!host) throw new Error('the location has no `proxy_set_header Host $host`');
  host._value = 'Host $http_host';
};

const forwardedFor: NginxEdit = (t) => {
  const l = rootLocation(t);
  l._add('proxy_set_header', 'X-Forwarded-For $proxy_add_x_forwarded_for');
  l._add('proxy_set_header', 'X-Forwarded-Proto $scheme');
};

/** The guide's NGINX example, with the changes each push scenario makes or fixes. */
export const PUSH_SITES = {
  /** The Host kept whole, no Upgrade or Connection: a websocket cannot pass. */
  noUpgrade: nginxSite('guide-example', hostWithPort),
  /** The Upgrade and Connection headers, with the guide's `Host $host`. */
  hostWithoutPort: nginxSite('guide-example', upgradeHeaders),
  /** Everything a websocket needs through NGINX. */
  complete: nginxSite('guide-example', upgradeHeaders, hostWithPort),
  /** That, and X-Forwarded-For and -Proto, as a proxy set-up behind which n8n wants N8N_PROXY_HOPS. */
  forwarded: nginxSite('guide-example', upgradeHeaders, hostWithPort, forwardedFor),
} satisfies Record<string, SiteConfig>;

/** What the running config (`nginx -T`) shows of each. */
export const PUSH_LIVE = {
  upgrade: { what: 'the Upgrade header passed on', test: /proxy_set_header\s+Upgrade\s+\$http_upgrade/ },
  noUpgrade: { what: 'no Upgrade header', test: /proxy_set_header\s+Upgrade/, absent: true },
  hostWithPort: { what: 'Host $http_host (the port kept)', test: /proxy_set_header\s+Host\s+\$http_host/ },
  hostWithoutPort: { what: 'Host $host (the port dropped)', test: /proxy_set_header\s+Host\s+\$host;/ },
  forwardedFor: { what: 'X-Forwarded-For set', test: /proxy_set_header\s+X-Forwarded-For/ },
} satisfies Record<string, Live>;
