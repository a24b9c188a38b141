import type { StackSpec } from '../parts/stack/auth-stack.ts';

/**
 * One n8n on SQLite at debug log level: what most scenarios share. Its metrics are on and a
 * Prometheus scrapes them, so each scenario's evidence says whether its failure shows there.
 */
export const DEFAULT_STACK: StackSpec = { name: 'default', metrics: true };

/** Two independent n8n instances (own data, owner and key), NGINX in front of the first (the proxy family points it at the second); the first scraped by Prometheus. */
export const TWO_INSTANCES: StackSpec = { name: 'two-instances', instances: 2, proxies: ['nginx'], metrics: true };

/**
 * Queue mode: main and two workers (one execution at a time each) on PostgreSQL and Redis, with
 * the OAuth server (oauth2's races) and the bearer API (env-access's queue scenario) beside them.
 * Every process lets expressions read `$env` (N8N_BLOCK_ENV_ACCESS_IN_NODE=false, which 2.x does
 * not by default; workers inherit the main's env): env-access's queue scenario is about where a
 * variable is set, not about the block; the OAuth2 races read no variable.
 */
export const QUEUE_TWO_WORKERS: StackSpec = {
  name: 'queue-two-workers',
  oauthProvider: true,
  providers: ['bearer-api'],
  env: { N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false' },
  queue: { workers: 2, workerEnv: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '1' } },
};
