import type { AnyScenario } from '../core/types.ts';

/**
 * Scenarios on a shared stack known (from a recorded run's "restored to its boot settings" lines)
 * to leave the primary n8n (or its queue workers) with other env or clock, so that the next scenario would first need n8n
 * replaced with its boot settings: a boot each. Run last in their group, no restore follows them (the
 * stack is stopped). Only the run's speed depends on this list; a scenario missing from it costs a boot.
 * Not here: clock.future-iat (it leaves n8n's clock 10 minutes on), whose recorded answer lists the
 * workflows on its stack: run after webhooks.jwt-auth-verifier-clock-behind it would list that one's.
 */
export const LEAVES_N8N_CHANGED: ReadonlySet<string> = new Set([
  'proxy.forwarded-for-without-proxy-hops', // N8N_PROXY_HOPS set by its fix
  'browser.push-sse-no-upgrade', // N8N_PUSH_BACKEND=websocket set by its fix
  'browser.push-sse-host-mismatch', // the same
  'browser.oauth-redirect-url-unset', // N8N_EDITOR_BASE_URL set by its fix
  'browser.oauth-callback-other-host', // N8N_EDITOR_BASE_URL set by its fault
  'mcp.server-base-url-changed', // N8N_EDITOR_BASE_URL set by its fault
  'mcp.server-rate-limit-behind-proxy', // N8N_MCP_SERVER_RATE_LIMIT and N8N_PROXY_HOPS set
  'allowlist.two-nginx-one-hop', // N8N_PROXY_HOPS=2 set by its fix (the stack boots with 1)
  'env-access.credential-env-denied', // N8N_BLOCK_ENV_ACCESS_IN_NODE=false set by its last fix
  'env-access.queue-worker-lacks-variable', // API_KEY set on the main by its fault, on the workers by its fix
  'mail-links.invite-link-localhost', // N8N_EDITOR_BASE_URL set by its fix
  'mail-links.reset-link-expired', // n8n's clock left 25 minutes on (the clock stack)
  'forms.chat-user-auth-other-host', // WEBHOOK_URL set by its fault (the browser stack)
]);

/** A group's scenarios in the order wanted, those that leave n8n changed last (a stable order: the same input gives the same order). */
export function restoreLastOrder<S extends Pick<AnyScenario, 'id'>>(group: S[], leavesChanged: ReadonlySet<string> = LEAVES_N8N_CHANGED): S[] {
  return [...group.filter((s) => !leavesChanged.has(s.id)), ...group.filter((s) => leavesChanged.has(s.id))];
}

/**
 * The groups costliest first (ties in the order given), for workers that each take the next group
 * when theirs is done: the long groups start early instead of running alone at the end.
 */
export function costliestFirst<G>(groups: G[], cost: (group: G) => number): G[] {
  return groups
    .map((group, i) => ({ group, i, cost: cost(group) }))
    .sort((a, b) => b.cost - a.cost || a.i - b.i)
    .map(({ group }) => group);
}
