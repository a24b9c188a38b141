import type { StackSpec } from '../parts/stack/auth-stack.ts';

/**
 * One n8n on SQLite at debug log level: what most scenarios share. Its metrics are on and a
 * Prometheus scrapes them, so each scenario's evidence says whether its failure shows there.
 */
export const DEFAULT_STACK: StackSpec = { name: 'default', metrics: true };

/** Two independent n8n instances (own data, owner and key), NGINX in front of the first (the proxy family points it at the second); the first scraped by Prometheus. */
export const TWO_INSTANCES: StackSpec = { name: 'two-instances', instances: 2, proxies: ['nginx'], metrics: true };
