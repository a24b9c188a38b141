import { answerOf, type Exchange } from '../client/exchange.ts';
import { rawRequest } from '../client/raw-http.ts';
import type { TlsTrust } from '../client/tls-trust.ts';

/** The Webhook node's "IP(s) Allowlist" refusal: a 403 without its auth challenge. */
export const ALLOWLIST_FAILURE_MODES = {
  'webhook-ip-refused': {
    title: "the Webhook node's IP allowlist refused the address n8n sees",
    means:
      'n8n answers 403 "IP is not allowed to access the webhook!" (1.x: "IP is not whitelisted ..."): the address n8n judged is not on the node\'s "IP(s) Allowlist". Behind a proxy n8n judges the proxy\'s address unless N8N_PROXY_HOPS is set to the number of proxies in front (then the client\'s, from X-Forwarded-For). Never list the proxy\'s own address (every client then passes), nor set N8N_PROXY_HOPS above the proxies in front (a client then passes with a forged X-Forwarded-For)',
  },
} as const;

/** n8n's refusal text on 1.x ("whitelisted") and 2.x ("allowed"), for the webhook or a form. */
const REFUSAL = /IP is not (allowed|whitelisted) to access (the webhook|this form)!/;

export function isAllowlistRefusal(e: Exchange): boolean {
  return e.response?.status === 403 && REFUSAL.test(e.response.body);
}

/** The call, and n8n's own URL to compare it with (the doctor's --url), where it is another than the call's. */
export interface AllowlistComparison {
  url: string;
  method?: string;
  headers?: Array<[string, string]>;
  /** n8n's URL straight (no proxy on the way). */
  straight?: string;
  timeoutMs: number;
  tls?: TlsTrust;
}

/**
 * What tells the cases apart from outside: the same call straight to n8n. Refused there too, the
 * address n8n sees this machine at is not on the list, and a machine not on the list cannot tell
 * what n8n judges through the proxy; not refused there, the list holds this machine's address and,
 * through the proxy, n8n judges another: a proxy's (N8N_PROXY_HOPS unset or smaller than the
 * proxies in front, or a proxy that sets no X-Forwarded-For), or this machine's by another route.
 */
export async function allowlistEvidence(c: AllowlistComparison, record: (e: Exchange) => void): Promise<string[]> {
  const called = new URL(c.url);
  if (!c.straight) return ["give n8n's own URL (--url) to compare the same call straight to n8n: that tells a proxy's address from this machine's"];
  const straight = new URL(`${called.pathname}${called.search}`, c.straight);
  if (straight.origin === called.origin) return ["the call went straight to n8n: this machine's address, as n8n sees it, is not on the list"];
  const method = c.method ?? 'GET';
  const e = await rawRequest({
    label: 'the same webhook call straight to n8n',
    url: straight.href,
    method,
    headers: c.headers ?? [],
    timeoutMs: c.timeoutMs,
    tls: c.tls,
  });
  record(e);
  const answer = `straight to n8n, ${method} ${straight.pathname}: ${answerOf(e, 200)}`;
  if (isAllowlistRefusal(e))
    return [
      answer,
      "refused there too: the address n8n sees this machine at straight is not on the list either; from a machine not on the list the doctor cannot tell whether n8n judges the proxy's address: run it from a client on the list",
    ];
  if (!e.response) return [answer, "n8n's own URL did not answer: the call could not be compared"];
  return [
    answer,
    "not refused straight: the list holds this machine's address as n8n sees it straight, and through the proxy n8n judges another: a proxy's (N8N_PROXY_HOPS unset or smaller than the proxies in front, or a proxy that sets no X-Forwarded-For: set N8N_PROXY_HOPS to the number of proxies in front and make each append X-Forwarded-For), or this machine's address on the proxy's side, where it reaches the proxy from another network or through a NAT (then list that one)",
  ];
}
