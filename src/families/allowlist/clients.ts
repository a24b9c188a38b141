import type { Exchange } from '../../parts/client/exchange.ts';
import { addressFrom, fetchFrom } from '../../parts/client/container-fetch.ts';
import { required } from '../../core/define.ts';
import { withN8nLog } from '../../core/probes.ts';
import type { ScenarioContext } from '../../core/types.ts';

export { forwardedForSeen } from '../../parts/client/container-fetch.ts';

/**
 * Two clients with addresses of their own on the stack network, each a Node.js process: `listed`
 * in the tap's container (in this family no proxy sends anything through the tap: its address is
 * the one the webhook's allowlist names), `other` in n8n's own container (an address not on the list).
 */
export type Client = 'listed' | 'other';

const tapOf = (ctx: ScenarioContext) => required(ctx.stack.proxy?.tap, 'the stack has no tap (the client container)');

/** A request from one of the two clients to a URL on the stack network, with n8n's log while it ran. */
export function fromClient(ctx: ScenarioContext, client: Client, label: string, url: string, headers: Array<[string, string]> = []): Promise<Exchange> {
  return withN8nLog(ctx, () => fetchFrom(client === 'listed' ? tapOf(ctx) : ctx.n8n.container, label, url, headers));
}

/** A name's IPv4 address on the stack network. */
export const addressOf = (ctx: ScenarioContext, name: string): Promise<string> => addressFrom(tapOf(ctx), name);
