import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { docker } from '../../src/docker/docker.ts';
import { LABEL_RUN } from '../../src/docker/labels.ts';

const BIN = new URL('../../bin/authlab.js', import.meta.url).pathname;

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** How long the process stayed alive after its last output chunk (stdout or stderr). */
  lingeredMs: number;
}

/** Every command ends within this long of its last line. */
export const EXIT_AFTER_LAST_LINE_MS = 5000;

/** Asserts the command ended promptly after its last line (nothing left pending: a timer, a socket). */
export function expectPromptExit(r: Exit, what: string): void {
  expect(r.lingeredMs, `${what} stayed alive ${(r.lingeredMs / 1000).toFixed(1)} s after its last line`).toBeLessThan(EXIT_AFTER_LAST_LINE_MS);
}

/** Runs the CLI as a user would, in its own process; `onLine` sees each stderr line as it comes. */
export function authlab(args: string[], env: NodeJS.ProcessEnv = {}, onLine?: (line: string, child: ReturnType<typeof spawn>) => void): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let lastOutputAt = started;
    let exitedAt: number | undefined;
    child.stdout.on('data', (c: Buffer) => {
      lastOutputAt = Date.now();
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      lastOutputAt = Date.now();
      stderr += c;
      for (const line of c.toString().split('\n')) if (line) onLine?.(line, child);
    });
    child.on('exit', () => (exitedAt = Date.now()));
    child.on('close', (code) => {
      const ended = exitedAt ?? Date.now();
      resolve({ code, stdout, stderr, ms: ended - started, lingeredMs: ended - lastOutputAt });
    });
  });
}

/** Runs the CLI with its reader gone before it prints (`authlab list | head -0`): what it says on stderr, and its exit code. */
export function authlabWithoutReader(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Pick<Exit, 'code' | 'stderr'>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Containers, networks and volumes a run left behind (all empty when it cleaned up). */
export async function leftBehind(runId: string): Promise<{ containers: unknown[]; networks: unknown[]; volumes: unknown[] }> {
  const engine = await docker();
  const filters = JSON.stringify({ label: [`${LABEL_RUN}=${runId}`] });
  return {
    containers: await engine.listContainers({ all: true, filters }),
    networks: await engine.listNetworks({ filters }),
    volumes: (await engine.listVolumes({ filters })).Volumes ?? [],
  };
}
