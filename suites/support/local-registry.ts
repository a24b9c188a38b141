import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const sh = promisify(execFile);
const READY_TIMEOUT_MS = 30_000;

/** A real image registry (Debian's docker-registry, the distribution registry 2.8) on 127.0.0.1, no auth, storage in a temp folder. */
export interface LocalRegistry {
  /** host:port, as --registry takes it. */
  host: string;
  stop(): Promise<void>;
}

/** Why the registry cannot be had here (to skip with), or undefined once `docker-registry` is installed. */
export async function installRegistry(): Promise<string | undefined> {
  const installed = () =>
    sh('sh', ['-c', 'command -v docker-registry']).then(
      () => true,
      () => false,
    );
  if (await installed()) return undefined;
  const apt = (args: string[]) =>
    sh('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 10 * 60_000 }).then(
      () => true,
      () => false,
    );
  // The package lists of a fresh machine may be empty: update only when the install needs it.
  if (!(await apt(['install', '-y', '-qq', 'docker-registry'])) && (await apt(['update', '-qq']))) await apt(['install', '-y', '-qq', 'docker-registry']);
  return (await installed())
    ? undefined
    : "Debian's docker-registry package is not installed and apt-get could not install it (not root, or no package mirror)";
}

/** Starts `docker-registry serve` with a config of its own: filesystem storage in a temp folder, plain HTTP on a free loopback port. */
export async function startLocalRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'authlab-registry-'));
  const host = `127.0.0.1:${await freePort()}`;
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'),
  );
  const log = openSync(join(dir, 'registry.log'), 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', log, log] });
  closeSync(log);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const ended = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await ended;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (
    (await fetch(`http://${host}/v2/`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${host} within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { host, stop };
}
