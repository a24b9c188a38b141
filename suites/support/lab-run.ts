import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { pidAlive } from '../../src/docker/cleanup.ts';
import { type LabState, readLabState } from '../../src/features/lab/lab-state.ts';
import { labScenario, symptomRequest } from '../../src/features/lab/labs.ts';
import { N8nClient, type OwnerAccount } from '../../src/parts/client/n8n-client.ts';
import { authlab, leftBehind } from './cli.ts';
import { testVersions } from './versions.ts';

/** What the lab suite does as a learner: start a lab, run its printed commands, check, stop. */

export const sh = promisify(execFile);
// Labs keep their state under AUTHLAB_HOME; the lab suite's go to a folder of its own.
export const home = mkdtempSync(join(tmpdir(), 'authlab-home-'));
process.env.AUTHLAB_HOME = home;
const env = { AUTHLAB_HOME: home };

/** `authlab lab <id>` on the newest version of the run: it must start; its state. */
export async function startLab(id: string): Promise<LabState> {
  const start = await authlab(['lab', id, '--n8n', testVersions().at(-1)!], env);
  expect(start.code, start.stderr).toBe(0);
  return (await readLabState(id))!;
}

/** The status of the learner's printed curl of the public API with the lab's key; 000 when nothing answers. */
export async function learnerCurl(url: string, keyFile: string): Promise<{ stdout: string }> {
  return sh('sh', ['-c', `curl -s -o /dev/null -w '%{http_code}' -H "X-N8N-API-KEY: $(cat ${keyFile})" ${url}/api/v1/workflows || true`]);
}

/** `authlab lab <id> --check`'s exit code (0 fixed, 1 not yet). */
export async function checked(id: string): Promise<number> {
  const r = await authlab(['lab', id, '--check'], env);
  expect([0, 1], r.stdout + r.stderr).toContain(r.code);
  return r.code ?? -1;
}

/** `--down`: its process gone and nothing of its run left in docker. */
export async function downLeavesNothing(id: string, state: LabState): Promise<void> {
  const down = await authlab(['lab', id, '--down'], env);
  expect(down.code, down.stderr).toBe(0);
  expect(pidAlive(state.pid)).toBe(false);
  expect(await leftBehind(state.runId)).toEqual({ containers: [], networks: [], volumes: [] });
}

/** The status of the lab's printed MCP request (the client's token file read as the printed command reads it), and its body. */
export async function mcpCurl(state: LabState): Promise<{ status: string; body: string }> {
  const command = symptomRequest(labScenario(state.id), state).replace('curl -s', "curl -s -w '\\n%{http_code}'");
  const { stdout } = await sh('sh', ['-c', command]);
  const at = stdout.lastIndexOf('\n');
  return { status: stdout.slice(at + 1), body: stdout.slice(0, at) };
}

/** n8n's editor as the learner signs in to it, with the owner's login the lab wrote (owner.json). */
export async function editorOf(state: LabState): Promise<N8nClient> {
  const owner = JSON.parse(readFileSync(join(dirname(state.keyFile!), 'owner.json'), 'utf8')) as OwnerAccount;
  const editor = new N8nClient(state.n8nUrl!);
  await editor.login(owner);
  return editor;
}
