import { defineFamily } from '../../core/family.ts';
import { NGINX_OVERWRITES_FORWARDED_FOR } from './routes.ts';
import { allowlistScenario } from './support.ts';

const HOPS_FIX = 'set N8N_PROXY_HOPS to the number of proxies in front of n8n';
const FORGED = 'any client that sends X-Forwarded-For with a listed address';

/**
 * The Webhook node's "IP(s) Allowlist" ("IP(s) Whitelist" on 1.x) behind real proxies. n8n judges
 * the address Express gives it: the socket's peer (the proxy) unless N8N_PROXY_HOPS tells it to
 * trust that many proxies' X-Forwarded-For entries, from the right.
 */
export const allowlistFamily = defineFamily('allowlist', 'Webhook IP allowlists behind proxies', [
  allowlistScenario({
    id: 'allowlist.nginx-no-proxy-hops',
    title: "behind NGINX without N8N_PROXY_HOPS, a webhook's IP allowlist refuses a client whose address is on it",
    claim: 'the webhook refuses with 403 "IP is not allowed to access the webhook!" an address on its list: n8n sees the proxy\'s address, not the client\'s',
    fix: 'set N8N_PROXY_HOPS=1',
    route: 'nginx',
    hops: null,
    allow: 'listed',
    judged: 'listed',
    remedies: [{ name: 'set N8N_PROXY_HOPS=1 and restart n8n', source: 'guide', hops: 1 }],
  }),
  allowlistScenario({
    id: 'allowlist.nginx-proxy-address-allowed',
    title: "behind NGINX without N8N_PROXY_HOPS, allowlisting the proxy's own address lets every client in",
    claim:
      "the allowlist then holds the one address n8n sees every request come from: it admits clients that are not on it (what users do when the client's address is refused)",
    fix: "list the clients' addresses, not the proxy's, and set N8N_PROXY_HOPS=1",
    route: 'nginx',
    hops: null,
    allow: 'proxy',
    judged: 'other',
    security: 'every client, whatever its address',
    remedies: [{ name: "list the client's address instead of the proxy's, set N8N_PROXY_HOPS=1 and restart n8n", source: 'guide', hops: 1, allow: 'listed' }],
  }),
  allowlistScenario({
    id: 'allowlist.nginx-hops-exceed-proxies',
    title: 'with N8N_PROXY_HOPS=2 behind one NGINX, a client forging X-Forwarded-For with a listed address passes the allowlist',
    claim: "n8n trusts one X-Forwarded-For entry more than there are proxies: the client's own, which it can write as it likes",
    fix: 'set N8N_PROXY_HOPS=1 (one proxy)',
    route: 'nginx',
    hops: 2,
    allow: 'listed',
    judged: 'forged',
    security: FORGED,
    remedies: [
      {
        name: 'NGINX sets X-Forwarded-For to the address it received the request from ($remote_addr), N8N_PROXY_HOPS left at 2',
        source: 'tried',
        site: NGINX_OVERWRITES_FORWARDED_FOR,
      },
      { name: 'set N8N_PROXY_HOPS=1 (NGINX appending X-Forwarded-For again) and restart n8n', source: 'guide', hops: 1 },
    ],
  }),
  allowlistScenario({
    id: 'allowlist.two-nginx-one-hop',
    title: "behind two NGINX hops with N8N_PROXY_HOPS=1, a webhook's IP allowlist refuses a client whose address is on it",
    claim:
      'N8N_PROXY_HOPS=1, the usual advice "behind a proxy", makes n8n see the first proxy\'s address when two proxies are in front (a load balancer and NGINX)',
    fix: 'set N8N_PROXY_HOPS=2 (two proxies)',
    route: 'two-nginx',
    hops: 1,
    allow: 'listed',
    judged: 'listed',
    remedies: [{ name: 'set N8N_PROXY_HOPS=2 and restart n8n', source: 'guide', hops: 2 }],
  }),
  allowlistScenario({
    id: 'allowlist.traefik-no-proxy-hops',
    title: "behind Traefik without N8N_PROXY_HOPS, a webhook's IP allowlist refuses a client whose address is on it",
    claim: "the webhook refuses with 403 an address on its list: n8n sees Traefik's address, not the client's",
    fix: 'set N8N_PROXY_HOPS=1',
    route: 'traefik',
    hops: null,
    allow: 'listed',
    judged: 'listed',
    remedies: [{ name: 'set N8N_PROXY_HOPS=1 and restart n8n', source: 'guide', hops: 1 }],
  }),
  allowlistScenario({
    id: 'allowlist.traefik-trusting-hops-exceed-proxies',
    title:
      'with N8N_PROXY_HOPS=2 behind a Traefik entry point that trusts forwarded headers, a client forging X-Forwarded-For with a listed address passes the allowlist',
    claim: "n8n trusts one X-Forwarded-For entry more than there are proxies, and Traefik (forwardedHeaders.insecure) keeps the client's own",
    fix: HOPS_FIX,
    route: 'traefik-trusting',
    hops: 2,
    allow: 'listed',
    judged: 'forged',
    security: FORGED,
    remedies: [
      {
        name: "the same request through Traefik's default entry point (it trusts no client's X-Forwarded-For), N8N_PROXY_HOPS left at 2",
        source: 'tried',
        route: 'traefik',
      },
      { name: 'set N8N_PROXY_HOPS=1 and restart n8n', source: 'guide', hops: 1 },
    ],
  }),
]);
