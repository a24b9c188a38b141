import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { N8nClient, newOwnerAccount, type OwnerAccount } from '../../src/parts/client/n8n-client.ts';
import { runLabels } from '../../src/docker/labels.ts';

const sh = promisify(execFile);
const OVERRIDE = 'docker-compose.authlab.yml';

export { freePort, holdPort, releasePort } from './free-port.ts';

/** A compose project as this suite runs it: the export's files plus an override that labels everything for the sweep. */
export interface ComposeRun {
  dir: string;
  env: NodeJS.ProcessEnv;
  n8nUrl: string;
  proxyUrl: string;
}

const labelsYaml = (indent: string) =>
  Object.entries(runLabels('lab-compose'))
    .map(([k, v]) => `${indent}${k}: "${v}"\n`)
    .join('');

/** Labels every container, the network and the volume of the project with this run's labels (a sweep finds leftovers). */
export async function labelProject(dir: string, services: string[]): Promise<void> {
  const svc = services.map((s) => `  ${s}:\n    labels:\n${labelsYaml('      ')}`).join('');
  await writeFile(
    join(dir, OVERRIDE),
    `services:\n${svc}networks:\n  default:\n    labels:\n${labelsYaml('      ')}volumes:\n  n8n_data:\n    labels:\n${labelsYaml('      ')}`,
  );
}

export function compose(run: Pick<ComposeRun, 'dir' | 'env'>, ...args: string[]) {
  return sh('docker-compose', ['-f', 'docker-compose.yml', '-f', OVERRIDE, ...args], {
    cwd: run.dir,
    env: { ...process.env, ...run.env },
    maxBuffer: 16 << 20,
  });
}

/** Polls until the URL answers (any status), or throws after the deadline. */
export async function answers(url: string, timeoutMs = 5 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(url).catch(() => undefined);
    if (res) return void (await res.arrayBuffer());
    if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Polls until n8n knows a GET webhook's path (a POST to it says "not registered for POST requests"; the workflow does not run). */
export async function webhookReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/not registered for POST requests/.test(await fetch(url, { method: 'POST' }).then((r) => r.text(), String))) {
    if (Date.now() > deadline) throw new Error(`n8n did not register ${url}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Whether n8n's log (its current container's) holds the text, within `waitMs`. */
export async function n8nLogHolds(run: Pick<ComposeRun, 'dir' | 'env'>, text: string, waitMs = 5000): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if ((await compose(run, 'logs', '--no-color', 'n8n')).stdout.includes(text)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const statusOf = (url: string) =>
  fetch(url).then(
    (r) => r.status,
    () => 0,
  );

/** Polls until n8n is ready and serves its REST API (n8n 1.116.2 answers readiness before /rest is there: 404). */
export async function ready(n8nUrl: string, timeoutMs = 5 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await statusOf(`${n8nUrl}/healthz/readiness`)) !== 200 || (await statusOf(`${n8nUrl}/rest/settings`)) !== 200) {
    if (Date.now() > deadline) throw new Error('n8n did not get ready');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * What a learner does after `up -d`: the owner account and an API key, the key saved in `api-key`
 * (mode 600). Where n8n offers no key (undefined), `api-key` holds a made-up one, as the README says.
 */
export async function ownerAndKey(
  run: ComposeRun,
  opts: { expiresInDays?: number; via?: string } = {},
): Promise<{ key: string | undefined; client: N8nClient; owner: OwnerAccount }> {
  await ready(run.n8nUrl);
  const client = new N8nClient(opts.via ?? run.n8nUrl);
  const owner = newOwnerAccount();
  await client.setupOwner(owner);
  const expiresInDays = opts.expiresInDays;
  const expiresAt = expiresInDays ? Math.floor(Date.now() / 1000) + expiresInDays * 86_400 : undefined;
  const key = await client.createApiKey({ label: 'learner', ...(expiresAt ? { expiresAt } : {}) }).then(
    (k) => k.rawApiKey,
    (err: unknown) => {
      if (/failed: HTTP 404/.test(String(err))) return undefined;
      throw err;
    },
  );
  await writeFile(join(run.dir, 'api-key'), key ?? 'any-text', { mode: 0o600 });
  return { key, client, owner };
}

/** Runs a README's curl with its status appended; returns the status and the body (status 0: nothing answered, curl's own error as the body). */
export async function curl(command: string, cwd: string): Promise<{ status: number; body: string }> {
  const { stdout } = await sh('sh', ['-c', command.replace(/^curl -s/, "curl -sS -w '\\n%{http_code}'")], { cwd, maxBuffer: 16 << 20 }).catch(
    (err: { stdout?: string; stderr?: string; code?: number }) => {
      if (err.stdout === undefined || !err.stdout.endsWith('000')) throw err;
      return { stdout: `curl exit ${err.code}: ${err.stderr?.trim()}\n000` };
    },
  );
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

/** n8n's container in the project (a stopped one too: docker-compose ps lists every state). */
export async function n8nContainerId(run: Pick<ComposeRun, 'dir' | 'env'>): Promise<string> {
  const id = (await compose(run, 'ps', '-q', 'n8n')).stdout.trim();
  if (!id) throw new Error('docker-compose ps -q n8n names no container');
  return id;
}

/** Polls until n8n's container has exited; its state and exit code as docker reports them (throws if it still runs after the deadline). */
export async function exited(run: Pick<ComposeRun, 'dir' | 'env'>, timeoutMs = 3 * 60_000): Promise<{ status: string; exitCode: number }> {
  const id = await n8nContainerId(run);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [status = '', code = ''] = (await sh('docker', ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', id])).stdout.trim().split(' ');
    if (status === 'exited' || status === 'dead') return { status, exitCode: Number(code) };
    if (Date.now() > deadline) throw new Error(`n8n's container is still ${status} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A file of n8n's container, stopped or not, as `docker cp` reads it (what a learner does to read n8n's settings file). */
export async function copyFromN8n(run: ComposeRun, path: string): Promise<string> {
  const to = join(run.dir, 'copied-from-n8n');
  await sh('docker', ['cp', `${await n8nContainerId(run)}:${path}`, to]);
  return readFile(to, 'utf8');
}
