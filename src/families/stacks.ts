import type { StackSpec } from '../stack/auth-stack.ts';

/** One n8n on SQLite at debug log level: what most scenarios share. */
export const DEFAULT_STACK: StackSpec = { name: 'default' };

/** Two independent n8n instances (own data, owner and key), NGINX in front of the first (the proxy family points it at the second). */
export const TWO_INSTANCES: StackSpec = { name: 'two-instances', instances: 2, proxies: ['nginx'] };
