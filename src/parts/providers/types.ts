import type { RequestHandler } from 'msw';

/** A mock third-party API: msw handlers, configured from the provider container's env. */
export interface ProviderDefinition {
  /** The provider's host name on the stack network (n8n calls http://<name>:<port>/...). */
  name: string;
  handlers: (env: NodeJS.ProcessEnv) => RequestHandler[];
  /** Env the provider reads a secret from (a shared signing secret, say): the stack generates each one. */
  secretEnv?: string[];
}

/** One request a provider received, as it arrived, and what the provider answered. */
export interface ProviderRecord {
  provider: string;
  method: string;
  path: string;
  /** Header names and values exactly as received (raw, in order). */
  headers: Array<[string, string]>;
  status: number;
  body: string;
}

export const PROVIDER_PORT = 8080;
/** Printed once the server listens; the container's wait strategy looks for it. */
export const PROVIDER_READY_LINE = 'providers listening';
/** Prefix of the one log line per request the host reads back. */
export const PROVIDER_RECORD_PREFIX = '{"providerRecord":';
