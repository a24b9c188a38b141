import type { StackSpec } from '../stack/auth-stack.ts';

/**
 * One n8n on SQLite at debug log level: what most scenarios share. Its metrics are on and a
 * Prometheus scrapes them, so each scenario's evidence says whether its failure shows there.
 */
export const DEFAULT_STACK: StackSpec = { name: 'default', metrics: true };
