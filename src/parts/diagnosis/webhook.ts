import { answerOf, type Exchange } from '../client/exchange.ts';
import { rawRequest } from '../client/raw-http.ts';
import type { ConnectTo } from '../client/connect-to.ts';
import type { TlsTrust } from '../client/tls-trust.ts';
import { triggerRefusal } from './form-chat.ts';
import type { FailureModeId } from './modes.ts';
import { spokePlainHttpToTls } from './reachability.ts';
import { allowlistEvidence, isAllowlistRefusal } from './webhook-allowlist.ts';

/** A webhook call as the user's client makes it: the URL (production or test), the method, the headers byte for byte. */
export interface WebhookCallInput {
  url: string;
  method?: string;
  headers?: Array<[string, string]>;
}

/** What the Webhook node sends with every refusal of its own authentication (Basic, Header or JWT alike). */
const WEBHOOK_CHALLENGE = /basic realm="webhook"/i;

/** n8n's JSON answer's message and hint (a 404 for an unregistered webhook carries both). */
export function messageAndHint(e: Exchange): { message: string; hint: string } {
  try {
    const json = JSON.parse(e.response?.body ?? '') as { message?: unknown; hint?: unknown };
    return { message: typeof json.message === 'string' ? json.message : '', hint: typeof json.hint === 'string' ? json.hint : '' };
  } catch {
    return { message: '', hint: '' };
  }
}

/**
 * Calls the webhook once as the client does and names why n8n refused it: not registered (a test
 * URL with no editor listening, or a workflow not published), another method, the Webhook node's
 * own authentication (its challenge header tells it from a proxy's), no credential on the node,
 * or a request n8n's HTTP server refused before any workflow saw it. Each from n8n's own answer.
 * Returns the call: the caller tells a webhook that did not answer (or answered that it speaks TLS).
 */
export async function diagnoseWebhook(
  call: WebhookCallInput,
  /** `straight`: n8n's own URL, to compare an allowlist's refusal with. */
  connection: { timeoutMs: number; tls?: TlsTrust; connectTo?: readonly ConnectTo[]; straight?: string },
  record: (e: Exchange) => void,
  found: (mode: FailureModeId, ...evidence: string[]) => void,
  notes: string[],
): Promise<Exchange> {
  const method = call.method ?? 'GET';
  const e = await rawRequest({
    label: `the webhook call (${method})`,
    url: call.url,
    method,
    headers: call.headers ?? [],
    timeoutMs: connection.timeoutMs,
    keepResponseHeaders: ['WWW-Authenticate', 'Location'],
    tls: connection.tls,
  });
  record(e);
  const status = e.response?.status;
  const answer = `${method} ${new URL(call.url).pathname}: ${answerOf(e, 300)}`;
  const { message, hint } = messageAndHint(e);
  const challenge = e.response?.headers?.find(([k]) => k.toLowerCase() === 'www-authenticate')?.[1] ?? '';
  if (status === undefined || spokePlainHttpToTls(e)) return e;
  const trigger = triggerRefusal(call.url, e);
  if (trigger) found(trigger.mode, answer, ...trigger.evidence);
  else if (status === 404 && /is not registered for \w+ requests/i.test(message)) found('webhook-method-not-registered', answer);
  else if (status === 404 && /is not registered/i.test(message)) found('webhook-not-registered', answer, ...(hint ? [`n8n's hint: ${hint}`] : []));
  else if ((status === 401 || status === 403) && WEBHOOK_CHALLENGE.test(challenge))
    found('webhook-auth-refused', answer, `WWW-Authenticate: ${challenge} (the Webhook node's own authentication)`);
  else if (status === 500 && /no authentication data defined on node/i.test(e.response?.body ?? '')) found('webhook-auth-unconfigured', answer);
  else if (isAllowlistRefusal(e)) found('webhook-ip-refused', answer, ...(await allowlistEvidence({ ...call, ...connection }, record)));
  else if (status === 400 && !e.response?.body) found('webhook-request-malformed', answer, "an empty 400: n8n's HTTP server refused the request itself");
  else notes.push(`the webhook call: ${answer}`);
  return e;
}
