import type { StartedNetwork } from 'testcontainers';

export const N8N_PORT = 5678;
export const N8N_DATA_DIR = '/home/node/.n8n';

export type N8nLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface N8nContainerSettings {
  image: string;
  version: string;
  env: Record<string, string>;
  encryptionKey?: string;
  logLevel: N8nLogLevel;
  stack?: string;
  /** A wall-clock offset for this container only, like "+7m" (needs an image with libfaketime). */
  clockOffset?: string;
  network?: StartedNetwork;
  alias?: string;
  dataVolume?: string;
  /** `main` serves the editor and API; `worker` runs queued executions (queue mode). */
  role: 'main' | 'worker';
  /** Files written into the container before n8n starts (a mounted .env, a key file). */
  files?: Array<{ path: string; content: string }>;
}

export interface N8nReplacement {
  image?: string;
  version?: string;
  /** A new clock offset, or null for true time. */
  clockOffset?: string | null;
  env?: Record<string, string>;
  /** Env names to drop from the current container's env. */
  unset?: string[];
  encryptionKey?: string | null;
  /** Start on a new, empty data folder: the `.n8n` volume was lost (the database, if external, is not). */
  freshData?: boolean;
  /** Files to write into the new container, replacing any of the same path. */
  files?: Array<{ path: string; content: string }>;
}
