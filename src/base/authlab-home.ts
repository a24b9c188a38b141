import { homedir } from 'node:os';
import { join } from 'node:path';

/** A path under the tool's own folder: $AUTHLAB_HOME, default ~/.authlab (labs, download caches). */
export function authlabHome(...parts: string[]): string {
  return join(process.env.AUTHLAB_HOME || join(homedir(), '.authlab'), ...parts);
}
