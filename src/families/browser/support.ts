import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import { StartedNginxContainer } from '../../parts/stack/nginx-container.ts';
import type { ScenarioContext } from '../../core/types.ts';

/** One n8n behind NGINX for the whole family: the browser reaches n8n by a host name through NGINX, or on localhost straight. */
export const BROWSER_STACK: StackSpec = { name: 'browser', proxies: ['nginx'] };

/** A name that is not localhost: the browser maps it to 127.0.0.1, where the stack publishes its ports. */
export const LAB_HOST = 'n8n.lab';

export function nginxOf(ctx: ScenarioContext): StartedNginxContainer {
  const nginx = ctx.stack.proxy?.servers.nginx;
  if (!(nginx instanceof StartedNginxContainer)) throw new Error('the browser family needs its stack with NGINX in front of n8n');
  return nginx;
}

/** NGINX's published port under the lab's host name: `http://n8n.lab:<port>` (or https once NGINX serves TLS there). */
export function labUrl(ctx: ScenarioContext, scheme: 'http' | 'https' = 'http'): string {
  return `${scheme}://${LAB_HOST}:${new URL(nginxOf(ctx).getBaseUrl()).port}`;
}

/** n8n straight on its published port, as `http://localhost:<port>`: a secure context for the browser. */
export function localhostUrl(ctx: ScenarioContext): string {
  return `http://localhost:${new URL(ctx.n8n.container.getBaseUrl()).port}`;
}
