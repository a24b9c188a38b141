import { randomBytes } from 'node:crypto';

/** Every container, network and volume the project creates carries these labels, so a sweep can find them. */
export const LABEL_PROJECT = 'dev.authlab.project';
export const LABEL_RUN = 'dev.authlab.run';
export const LABEL_PID = 'dev.authlab.pid';
const LABEL_STACK = 'dev.authlab.stack';
export const PROJECT = 'n8n-authlab';

/** One id per process: what this run created, and nothing else, is what its own cleanup removes. */
export const RUN_ID = process.env.AUTHLAB_RUN_ID ?? `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export function runLabels(stack?: string): Record<string, string> {
  return {
    [LABEL_PROJECT]: PROJECT,
    [LABEL_RUN]: RUN_ID,
    [LABEL_PID]: String(process.pid),
    ...(stack ? { [LABEL_STACK]: stack } : {}),
  };
}
