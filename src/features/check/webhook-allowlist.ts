import { describeExchange } from '../../parts/client/exchange.ts';
import { addressFrom, fetchFrom, forwardedForSeen } from '../../parts/client/container-fetch.ts';
import { deployWebhookWorkflow } from '../../core/workflows.ts';
import type { StartedAuthStack } from '../../parts/stack/auth-stack.ts';
import type { DeployCheck } from './checks.ts';
import type { Deployment } from './deployment.ts';
import { PROXY_NAMES, type ReproducedProxy } from './reproduced-proxy.ts';

/** An address on no network here (TEST-NET-3, for documentation): the one a forger claims, as an office's address on a list. */
const OFFICE_ADDRESS = '203.0.113.7';
/** n8n's own name on a stack with a tap in front of it (the proxy passes to the tap, which takes the name n8n). */
const N8N_ITSELF = 'n8n-app';
/** The proxies the compose file puts in front of n8n: its one proxy service. */
const PROXIES_IN_FILE = 1;

const ALWAYS = 'always refusing';
/** What n8n's refusal says on 1.x ("whitelisted") and 2.x ("allowed") alike. */
const REFUSAL = 'to access the webhook!';
const SPOOFABLE = 'spoofable';

/**
 * Run: a webhook with an "IP(s) Allowlist", called through the reproduced proxy by a client with
 * an address of its own on the test network (a process in n8n's container), on the file's
 * N8N_PROXY_HOPS. With the client's address on the list it must pass (else the list refuses every
 * real client: `always refusing`); with another address on the list, the same client sending
 * `X-Forwarded-For: <that address>` must be refused (else anyone can claim a listed address:
 * `spoofable`, a security finding).
 */
export async function webhookAllowlist(stack: StartedAuthStack, d: Deployment, site: ReproducedProxy, progress: (line: string) => void): Promise<DeployCheck> {
  const tap = stack.proxy?.tap;
  if (!tap) throw new Error('the reproduced stack has no tap');
  const name = PROXY_NAMES[site.kind];
  const client = stack.primary.container;
  const hops = d.main.env.N8N_PROXY_HOPS;
  progress(`calling a webhook with an IP allowlist through ${name}, on the file's N8N_PROXY_HOPS=${hops ?? '(unset)'}`);
  const address = await addressFrom(client, N8N_ITSELF);
  const own = await deployWebhookWorkflow({ n8n: stack.primary }, 'webhook-ip-allowlist', { allowlist: address });
  const office = await deployWebhookWorkflow({ n8n: stack.primary }, 'webhook-ip-allowlist', { allowlist: OFFICE_ADDRESS });
  const base = `http://${site.kind}${site.routes[0]?.prefix ?? ''}/webhook/`;
  const mark = tap.mark();
  const listed = await fetchFrom(client, `a client (${address}) whose address is on the list, through ${name}`, `${base}${own.webhookPath}`);
  const reached = (await tap.requestsSince(mark)).at(-1)?.headers.find(([k]) => k.toLowerCase() === 'x-forwarded-for')?.[1];
  const forged = await fetchFrom(
    client,
    `the same client, not on a list of ${OFFICE_ADDRESS}, sending X-Forwarded-For: ${OFFICE_ADDRESS}`,
    `${base}${office.webhookPath}`,
    [['X-Forwarded-For', OFFICE_ADDRESS]],
  );
  // n8n's own refusal: anything else (a route that does not reach n8n's webhooks) is not the allowlist's doing.
  const refusing = listed.response?.status === 403 && listed.response.body.includes(REFUSAL);
  const unreached = listed.outcome !== 'accepted' && !refusing;
  const spoofable = forged.outcome === 'accepted';
  const problems = [...(refusing ? [ALWAYS] : []), ...(spoofable ? [SPOOFABLE] : [])];
  return {
    id: 'webhook-allowlist',
    title: `a webhook's IP allowlist through ${name} admits a listed client and refuses a forged X-Forwarded-For (N8N_PROXY_HOPS matches the proxies in front)`,
    section: 'not in the guide',
    scenarios: [
      'allowlist.nginx-no-proxy-hops',
      'allowlist.nginx-hops-exceed-proxies',
      'allowlist.two-nginx-one-hop',
      'allowlist.traefik-trusting-hops-exceed-proxies',
    ],
    how: 'run',
    passed: problems.length === 0,
    ...(spoofable ? { security: 'any client that sends X-Forwarded-For with a listed address' } : {}),
    evidence: [
      `N8N_PROXY_HOPS=${hops ?? '(unset)'} on ${d.main.name}; proxies in front in the file: ${PROXIES_IN_FILE} (${name})`,
      `${describeExchange(listed)}; X-Forwarded-For that reached n8n: ${reached ?? '(none)'}`,
      `${describeExchange(forged)}${spoofable ? `; n8n received X-Forwarded-For: ${forwardedForSeen(forged) ?? '?'}` : ''}`,
      ...(problems.length ? [`the allowlist is ${problems.join(' and ')}`] : []),
      ...(unreached ? [`not judged: the webhook did not answer through ${name} as n8n's allowlist does (the route, not the list; see proxy-path)`] : []),
    ],
    ...(problems.length ? { fix: fixOf(refusing, spoofable, hops, reached) } : {}),
  };
}

function fixOf(refusing: boolean, spoofable: boolean, hops: string | undefined, forwardedFor: string | undefined): string {
  const set = `set N8N_PROXY_HOPS=${PROXIES_IN_FILE} (the proxies in front of n8n; more if a load balancer or CDN is in front of the proxy too)`;
  if (spoofable)
    return `${set}: with more hops than proxies n8n takes the client's own X-Forwarded-For entry (verified by allowlist.nginx-hops-exceed-proxies)`;
  if (refusing && Number(hops ?? 0) >= 1 && !forwardedFor)
    return "make the proxy set X-Forwarded-For (NGINX: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;): n8n sees only the proxy's address without it";
  return `${set}: without it n8n sees the proxy's address, never the client's (verified by allowlist.nginx-no-proxy-hops)`;
}
