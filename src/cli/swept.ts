import { cleanupOnSignals, exitRemovingOwn, sweep } from '../docker/cleanup.ts';
import { EXIT_OUTPUT_CLOSED, progress, stopOutput, whenOutputCloses } from './io.ts';

/**
 * Runs a command that starts containers: first removes what a killed earlier run left (its process
 * is gone), and at the end whatever of this process's is left (the data volume a failed n8n start
 * keeps for another try, say), whether the command succeeded or not, or its output was closed (`| head`).
 * Ctrl-C or SIGTERM at any moment ends it the same way: no new start, what it made removed, said so.
 */
export async function sweptAfter(command: () => Promise<number>): Promise<number> {
  cleanupOnSignals(undefined, { onStop: stopOutput });
  whenOutputCloses(() => exitRemovingOwn(EXIT_OUTPUT_CLOSED, () => undefined));
  const left = await sweep({ scope: 'orphans' }).catch(() => undefined);
  if (left && left.containers + left.networks + left.volumes > 0)
    progress(`removed what a killed earlier run left: ${left.containers} container(s), ${left.networks} network(s), ${left.volumes} volume(s)`);
  try {
    return await command();
  } finally {
    await sweep({ scope: 'this-process' }).catch(() => undefined);
  }
}
