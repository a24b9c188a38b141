import { spawn } from 'node:child_process';
import { docker } from '../../src/stack/docker.ts';
import { LABEL_RUN } from '../../src/stack/labels.ts';

const BIN = new URL('../../bin/authlab.js', import.meta.url).pathname;

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI as a user would, in its own process; `onLine` sees each stderr line as it comes. */
export function authlab(args: string[], env: NodeJS.ProcessEnv = {}, onLine?: (line: string, child: ReturnType<typeof spawn>) => void): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
      for (const line of c.toString().split('\n')) if (line) onLine?.(line, child);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
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
