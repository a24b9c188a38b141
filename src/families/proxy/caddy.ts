import type { CaddySite } from '../../parts/proxy/caddyfile.ts';
import { caddySite } from '../../parts/proxy/site-config.ts';
import { API_KEY_HEADER } from '../../core/probes.ts';
import type { AnyScenario } from '../../core/types.ts';
import {
  hasHeader,
  passesOrDrops,
  PROXY_CLIENT_BLIND,
  keyHeader,
  proxyScenario,
  reached,
  staticKeyScenario,
  underscoreKey,
  type Live,
  type ProxyRemedy,
} from './support.ts';

/** The guide's NGINX fix line has no Caddy form in the guide; this is its literal translation. */
const GUIDE_FIX = "the guide's fix line in Caddy: header_up X-N8N-API-KEY {header.X-N8N-API-KEY}";
const FORWARD: [string, string] = [API_KEY_HEADER, `{header.${API_KEY_HEADER}}`];
const FORWARD_LIVE: Live = { what: 'the forwarding header_up', test: /\{http\.request\.header\.X-N8N-API-KEY\}/i };
const KEY_IN_CONFIG = /x-n8n-api-key/i;

function guideFix(site: CaddySite): ProxyRemedy {
  return { name: GUIDE_FIX, source: 'guide', site: caddySite({ headerUp: [...(site.headerUp ?? []), FORWARD] }), live: [FORWARD_LIVE] };
}

export const caddyScenarios: AnyScenario[] = [
  proxyScenario({
    id: 'proxy.caddy-default-config',
    proxy: 'caddy',
    title: "Caddy's plain reverse_proxy drops the X-N8N-API-KEY header",
    guide: { section: '5', claim: 'Behind a reverse proxy, by default, these proxies may drop custom headers', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: caddySite(),
    live: [{ what: 'any setting about the key', test: KEY_IN_CONFIG, absent: true }],
    remedies: [guideFix({})],
    doctor: passesOrDrops,
  }),
  proxyScenario({
    id: 'proxy.caddy-header-removed',
    proxy: 'caddy',
    title: 'header_up -X-N8N-API-KEY strips the key',
    guide: { section: '7', claim: '401 error despite correct header: the proxy strips the header; forwarding it explicitly fixes it', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: caddySite({ headerUp: [[`-${API_KEY_HEADER}`]] }),
    live: [{ what: 'the header deletion', test: /"delete"/ }],
    proveFromRequest: reached('no X-N8N-API-KEY reached n8n', (h) => !hasHeader(h, API_KEY_HEADER)),
    remedies: [guideFix({ headerUp: [[`-${API_KEY_HEADER}`]] }), { name: 'remove the header_up deletion', source: 'correct', site: caddySite() }],
    doctor: 'proxy-loses-key',
  }),
  proxyScenario({
    id: 'proxy.caddy-underscore-name',
    proxy: 'caddy',
    title: 'a key sent as X_N8N_API_KEY passes through Caddy, and n8n does not read it',
    guide: { section: 'Quick fix', claim: 'the request header must be spelled x-n8n-api-key', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: caddySite(),
    live: [{ what: 'any setting about the key', test: KEY_IN_CONFIG, absent: true }],
    send: underscoreKey,
    proveFromRequest: reached('X_N8N_API_KEY reached n8n unchanged', (h) => hasHeader(h, 'X_N8N_API_KEY')),
    remedies: [guideFix({}), { name: 'send the header with dashes: X-N8N-API-KEY', source: 'correct', site: caddySite(), send: keyHeader, inClient: true }],
    doctorBlind: PROXY_CLIENT_BLIND,
  }),
  staticKeyScenario({
    id: 'proxy.caddy-static-key-injected',
    refusalKeepsOut: 'every client that reaches the proxy, with no key or a wrong one',
    proxy: 'caddy',
    title: 'a key injected by Caddy lets requests without a key, or with a wrong one, through',
    inject: (key) => caddySite({ headerUp: [[API_KEY_HEADER, key]] }),
    forward: caddySite(),
    live: [{ what: 'a static X-N8N-API-KEY value', test: KEY_IN_CONFIG }],
  }),
];
