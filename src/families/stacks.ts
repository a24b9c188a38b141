import type { StackSpec } from '../stack/auth-stack.ts';

/** One n8n on SQLite at debug log level: what most scenarios share. */
export const DEFAULT_STACK: StackSpec = { name: 'default' };
