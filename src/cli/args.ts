import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export const RUN_OPTIONS = {
  n8n: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  family: { type: 'string' },
  section: { type: 'string' },
  only: { type: 'string' },
  out: { type: 'string' },
  offline: { type: 'boolean' },
  'ca-bundle': { type: 'string' },
  registry: { type: 'string' },
  all: { type: 'boolean' },
  key: { type: 'string' },
  'key-file': { type: 'string' },
  'key-env': { type: 'string' },
  'encryption-key-file': { type: 'string' },
  'jwt-secret-file': { type: 'string' },
  url: { type: 'string' },
  'proxy-url': { type: 'string' },
  path: { type: 'string' },
  executions: { type: 'string' },
  'since-minutes': { type: 'string' },
  'webhook-url': { type: 'string' },
  'webhook-method': { type: 'string' },
  'webhook-header': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  check: { type: 'boolean' },
  reset: { type: 'boolean' },
  down: { type: 'boolean' },
  hint: { type: 'string' },
  port: { type: 'string' },
  compose: { type: 'string' },
  service: { type: 'string' },
  concurrency: { type: 'string' },
  nginx: { type: 'string' },
  'env-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
