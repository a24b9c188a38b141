import { traefikSite } from '../../proxy/site-config.ts';
import { API_KEY_HEADER } from '../../scenarios/probes.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { hasHeader, keyHeader, noKey, proxyKey, proxyScenario, reached, viaProxy, wrongKey } from './support.ts';

/**
 * The guide's own Traefik example. Traefik has no Debian package, so these run only where an
 * image registry serves the official image; elsewhere they are reported as not runnable.
 */
export const traefikScenarios: Scenario[] = [
  proxyScenario({
    proxy: 'traefik',
    id: 'default-config',
    title: "Traefik's plain router drops the X-N8N-API-KEY header",
    guide: { section: '5', claim: 'Behind NGINX or Traefik, by default, these proxies may drop custom headers', fix: 'forward the original header' },
    predicts: { outcome: 'rejected' },
    fault: traefikSite(),
    live: [{ what: 'any middleware about the key', test: /x-n8n-api-key/i, absent: true }],
    remedies: [{ name: 'nothing to add: Traefik forwards request headers', source: 'guide', site: traefikSite() }],
  }),
  proxyScenario({
    proxy: 'traefik',
    id: 'static-key-injected',
    title: "the guide's Traefik example (customrequestheaders with the key) lets requests without a key, or with a wrong one, through",
    guide: { section: '5', claim: 'the Traefik example: inject the key at the proxy (customrequestheaders x-n8n-api-key=YOUR_KEY)', fix: 'prefer forwarding the original header instead of injecting a static value' },
    predicts: { outcome: 'accepted' },
    prepare: async (ctx) => (await proxyKey(ctx), []),
    fault: (ctx) => traefikSite({ customRequestHeaders: { 'x-n8n-api-key': ctx.memo.get('proxyKey') ?? '' } }),
    live: [{ what: 'the customRequestHeaders middleware', test: /customRequestHeaders/ }],
    probes: async (ctx) => [await viaProxy(ctx, 'no key at all, through Traefik', noKey()), await viaProxy(ctx, 'a wrong key, through Traefik', wrongKey(ctx))],
    proveFromRequest: reached('n8n received a key the client never sent', (h) => hasHeader(h, API_KEY_HEADER)),
    remedies: [
      { name: 'forward the original header: a client without a key is refused', source: 'guide', site: traefikSite(), send: noKey, expect: 'rejected' },
      { name: 'forward the original header: a client with its own key passes', source: 'guide', site: traefikSite(), send: keyHeader },
    ],
  }),
];
