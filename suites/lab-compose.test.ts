import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { outcomeOf } from '../src/parts/client/exchange.ts';
import { N8nClient } from '../src/parts/client/n8n-client.ts';
import { INJECTED_KEY_PLACEHOLDER } from '../src/families/proxy/support.ts';
import { resolveN8nImage } from '../src/parts/images/n8n-image.ts';
import { imageOptionsFromEnv } from '../src/parts/images/options.ts';
import { resolveServiceImage } from '../src/parts/images/service-images.ts';
import { resolveLayerImage } from '../src/parts/images/layer-image.ts';
import { composeServices, proxyOf, SETUP_FILES } from '../src/features/lab/compose-yaml.ts';
import { COMPOSE_WEBHOOK_PATH, writeLabCompose } from '../src/features/lab/lab-compose.ts';
import { labScenarios, symptomPasses, symptomRequest, type Lab } from '../src/features/lab/labs.ts';
import {
  answers,
  compose,
  type ComposeRun,
  copyFromN8n,
  curl,
  exited,
  freePort,
  labelProject,
  n8nLogHolds,
  ownerAndKey,
  ready,
  webhookReady,
} from './support/compose-lab.ts';
import { authlab } from './support/cli.ts';
import { queuedTimeout, slot, suiteSlots } from './support/slots.ts';
import { testsWholeCatalogue } from './support/tested-scenarios.ts';
import { testVersions } from './support/versions.ts';

// The newest version of the run, projects side by side in the worker's shared slots: each is an n8n boot. An export whose
// symptom this version shrugs off (n8n cleans the pasted value) runs again on the next older one.
const VERSIONS = [...testVersions()].reverse();
const VERSION = VERSIONS[0]!;
const SIDE_BY_SIDE = suiteSlots();
const exported = labScenarios().filter((l) => !l.lab.composeRefused);
/** Whether the symptom of a lab whose proxy injects a key needs a second key, rotated away after. */
const injectsRotatedKey = ({ lab: { symptom } }: Lab) => Boolean('api' in symptom ? symptom.api.injectedKeyRotated : symptom.injectedKeyRotated);

/** What running an export exercises: exports of one shape take the same steps, only the fault's lines differ. */
function exportShape(lab: Lab): string {
  const { kind, symptom, composeLogSymptom, composeStops, composeEnv, composeThen, composeWorkflow, composeKeyExpiresInDays } = lab.lab;
  return JSON.stringify([
    kind,
    proxyOf(lab)?.service ?? null,
    Object.keys(symptom),
    injectsRotatedKey(lab),
    Boolean(composeLogSymptom),
    Boolean(composeStops),
    Object.keys(composeEnv ?? {}),
    Object.keys(composeThen ?? {}),
    Boolean(composeWorkflow?.caller),
    composeKeyExpiresInDays !== undefined,
  ]);
}
/**
 * The exports run live: the first of each shape (every one with AUTHLAB_TEST_CATALOGUE=all); the
 * others are written and checked by docker-compose (`config`) without starting n8n.
 */
const live = testsWholeCatalogue() ? exported : exported.filter((l, i) => exported.findIndex((o) => exportShape(o) === exportShape(l)) === i);
const writtenOnly = exported.filter((l) => !live.includes(l));
/** The labs without an export (lab-catalogue's composeRefused says why): the command refuses them, in one line. */
const refused = labScenarios().filter((l) => l.lab.composeRefused);

async function imagesEnv(lab: Lab, version: string): Promise<NodeJS.ProcessEnv> {
  const opts = imageOptionsFromEnv();
  const proxy = proxyOf(lab)?.service;
  const n8n = await resolveN8nImage(version, opts);
  return {
    N8N_IMAGE: n8n,
    ...(lab.lab.kind === 'clock' ? { N8N_FAKETIME_IMAGE: await resolveLayerImage('faketime', n8n, opts) } : {}),
    ...(proxy ? { [`${proxy.toUpperCase()}_IMAGE`]: await resolveServiceImage(proxy, opts) } : {}),
  };
}

/**
 * Where the proxy injects a key, what the README says: the learner's key in place of the
 * placeholder, the proxy reloaded; for a rotation, a second key, deleted in n8n after.
 */
async function putKeyInConfig(lab: Lab, run: ComposeRun, key: string, client: N8nClient): Promise<void> {
  if (lab.lab.kind !== 'proxy-config') return;
  const file = join(run.dir, lab.lab.proxy === 'nginx' ? 'nginx/authlab.conf' : 'caddy/Caddyfile');
  const config = readFileSync(file, 'utf8');
  if (!config.includes(INJECTED_KEY_PLACEHOLDER)) return;
  expect(lab.lab.composeNote, 'the README says where the key goes').toContain(INJECTED_KEY_PLACEHOLDER);
  const second = injectsRotatedKey(lab) ? await client.createApiKey({ label: 'injected-then-rotated' }) : undefined;
  writeFileSync(file, config.replace(INJECTED_KEY_PLACEHOLDER, second?.rawApiKey ?? key));
  const reload = lab.lab.proxy === 'nginx' ? ['nginx', '-s', 'reload'] : ['caddy', 'reload', '--config', '/etc/caddy/Caddyfile'];
  await compose(run, 'exec', '-T', 'proxy', ...reload);
  if (second) await client.deleteApiKey(second.id);
}

/** Values put in .env as the README says: a line of the same name replaced, else added. Returns what those names held before (undefined: absent). */
function setEnv(run: ComposeRun, env: Record<string, string>): Record<string, string | undefined> {
  const file = join(run.dir, '.env');
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const before: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    const at = lines.findIndex((l) => l.split('=')[0] === name);
    before[name] = at < 0 ? undefined : lines[at]!.slice(name.length + 1);
    if (at < 0) lines.push(`${name}=${value}`);
    else lines[at] = `${name}=${value}`;
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return before;
}

/** What the README says where the fault needs a key from before: the lines put in .env, n8n recreated (and ready, unless the fault stops it). */
async function changeEnvAfterKey(lab: Lab, run: ComposeRun, env: Record<string, string>): Promise<Record<string, string | undefined>> {
  const before = setEnv(run, env);
  if (lab.lab.composeStops) await compose(run, 'up', '-d');
  else await recreateN8n(run);
  return before;
}

/** `docker compose up -d` after an edit of .env: n8n recreated with it, ready again. */
async function recreateN8n(run: ComposeRun): Promise<void> {
  await compose(run, 'up', '-d');
  await ready(run.n8nUrl);
}

/**
 * The learner's fix of an env or clock lab: the fault's lines out of .env (FAKETIME emptied), a
 * value the fault replaced put back (`restore`: what .env held before), then up -d.
 */
async function undoFaultEnv(lab: Lab, run: ComposeRun, restore: Record<string, string | undefined>): Promise<void> {
  const names = new Set(Object.keys({ ...lab.lab.composeEnv, ...lab.lab.composeThen }));
  const file = join(run.dir, '.env');
  const lines = readFileSync(file, 'utf8').split('\n');
  const undone = (l: string) => {
    const name = l.split('=')[0]!;
    if (!names.has(name)) return l;
    if (restore[name] !== undefined) return `${name}=${restore[name]}`;
    return name === 'FAKETIME' ? 'FAKETIME=' : '';
  };
  writeFileSync(file, lines.map(undone).join('\n'));
  await recreateN8n(run);
}

/**
 * Where the fault stops n8n, what compose and n8n show: its container exited (not 0), its log
 * holding the line, the symptom request answered by nothing; and the original key where the
 * README's hints send the learner, in the stopped container's settings file.
 */
async function stoppedSymptom(lab: Lab, run: ComposeRun, line: string, command: string, before: Record<string, string | undefined>): Promise<void> {
  const state = await exited(run);
  expect(state.exitCode, `n8n's container ${state.status}`).not.toBe(0);
  expect(await n8nLogHolds(run, line), `n8n's log holds ${line}`).toBe(true);
  const seen = await curl(command, run.dir);
  expect(seen.status, `${command} -> ${seen.body.slice(0, 200)}`).toBe(0);
  const settings = JSON.parse(await copyFromN8n(run, '/home/node/.n8n/config')) as { encryptionKey?: string };
  expect(settings.encryptionKey, "the stopped n8n's settings file holds the key .env held first").toBe(before.N8N_ENCRYPTION_KEY);
  expect(lab.lab.hintRunning?.('n8n', {}), 'a hint sends the learner to the settings file').toContain('docker cp');
}

/** A credential lab whose webhook checks the caller's value: the learner retypes the credential's value in the editor, as the caller has it. */
async function retypeCallerValue(run: ComposeRun, client: N8nClient): Promise<void> {
  const { credential } = JSON.parse(readFileSync(join(run.dir, SETUP_FILES.data), 'utf8')) as {
    credential: { name: string; type: string; data: Record<string, unknown> };
  };
  const list = await client.call('GET', '/rest/credentials');
  const id = ((list.json as { data?: Array<{ id: string; name: string }> }).data ?? []).find((c) => c.name === credential.name)?.id;
  expect(id, `the credential ${credential.name} setup made`).toBeDefined();
  const value = readFileSync(join(run.dir, SETUP_FILES.caller), 'utf8');
  const answer = await client.updateCredential(id!, { ...credential, data: { ...credential.data, value } });
  expect(answer.status, `PATCH /rest/credentials/${id}: ${answer.text.slice(0, 200)}`).toBe(200);
}

/** Whether the symptom request shows the fault: refused (or let through, for a lab whose symptom is a request that must not pass). */
async function showsSymptom(lab: Lab, command: string, run: ComposeRun): Promise<{ broken: boolean; seen: string }> {
  const seen = await curl(command, run.dir);
  const accepted = outcomeOf(seen.status || undefined, seen.body) === 'accepted';
  return { broken: symptomPasses(lab) ? accepted : !accepted, seen: `${command} -> ${seen.status} ${seen.body.slice(0, 200)}` };
}

/** The same request straight to n8n (the proxy out of the way; the path without the proxy's prefix). */
const straight = (command: string, run: ComposeRun) => command.replace(/ http:\/\/\S+$/, ` ${run.n8nUrl}/api/v1/workflows`);

/** The export ran as its README says and showed nothing: this version may shrug the fault off. */
class NoSymptom extends Error {}

/** What the README says, from the owner and key to the symptom; then, where the fix is an edit of .env, the fix and the symptom gone. */
async function symptomThenFix(lab: Lab, run: ComposeRun): Promise<void> {
  const proxied = lab.lab.kind === 'proxy-config';
  const { key, client } = await ownerAndKey(run, { expiresInDays: lab.lab.composeKeyExpiresInDays });
  // Only an export whose README says so may run without a key of n8n's.
  if (key === undefined) expect(lab.lab.composeNote, 'n8n offered no API key').toBeDefined();
  else await putKeyInConfig(lab, run, key, client);
  const before = lab.lab.composeThen ? await changeEnvAfterKey(lab, run, lab.lab.composeThen) : {};
  if (lab.lab.composeWorkflow) await compose(run, 'run', '--rm', 'setup');
  if (proxied) await answers(run.proxyUrl);
  const workflowUrl = `${run.n8nUrl}/webhook/${COMPOSE_WEBHOOK_PATH}`;
  const command = symptomRequest(lab, { keyFile: 'api-key', n8nUrl: run.n8nUrl, proxyUrl: run.proxyUrl, workflowUrl, callerFile: SETUP_FILES.caller });
  if (lab.lab.composeStops) await stoppedSymptom(lab, run, lab.lab.composeStops, command, before);
  const symptom = await showsSymptom(lab, command, run);
  if (!symptom.broken) throw new NoSymptom(symptom.seen);
  console.info(`${lab.id}: the symptom: ${symptom.seen}`);
  if (proxied && 'api' in lab.lab.symptom) {
    const direct = await curl(straight(command, run), run.dir);
    // The proxy makes the difference: straight to n8n, the request answers the other way.
    expect(outcomeOf(direct.status, direct.body) === 'accepted', `straight to n8n -> ${direct.status}`).toBe(!symptomPasses(lab));
  }
  if (lab.lab.composeWorkflow?.caller) {
    await retypeCallerValue(run, client);
    const fixed = await showsSymptom(lab, command, run);
    expect(fixed.broken, `after the credential retyped: ${fixed.seen}`).toBe(false);
    return;
  }
  if (key === undefined || (lab.lab.kind !== 'env' && lab.lab.kind !== 'clock')) return;
  await undoFaultEnv(lab, run, before);
  if (lab.lab.composeWorkflow) await webhookReady(workflowUrl);
  const fixed = await showsSymptom(lab, command, run);
  expect(fixed.broken, `after the fix in .env: ${fixed.seen}`).toBe(false);
}

/** A symptom that is a line in n8n's log: the owner made and signed in through the proxy, the line there; the fix's env added, the line gone. */
async function logSymptomThenFix(lab: Lab, run: ComposeRun, line: string): Promise<void> {
  await answers(run.proxyUrl);
  const { owner } = await ownerAndKey(run, { via: run.proxyUrl });
  await new N8nClient(run.proxyUrl).login(owner);
  expect(await n8nLogHolds(run, line), `n8n's log after a sign-in through the proxy holds ${line}`).toBe(true);
  await changeEnvAfterKey(lab, run, lab.lab.composeFixEnv ?? {});
  await compose(run, 'exec', '-T', 'proxy', 'nginx', '-s', 'reload');
  await new N8nClient(run.proxyUrl).login(owner);
  expect(await n8nLogHolds(run, line), `after the fix in .env, n8n's log holds ${line}`).toBe(false);
}

describe('labs without a compose export', () => {
  test.each(refused.map((l) => [l.id, l] as const))('%s: --compose refuses it in one line, saying why (exit 2), and writes nothing', async (id, lab) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'authlab-lab-compose-')), 'project');
    const r = await authlab(['lab', id, '--compose', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`authlab: lab ${id} has no compose export: ${lab.lab.composeRefused}; run it with: authlab lab ${id}`]);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('lab compose exports of a shape already run live', () => {
  test.each(writtenOnly.map((l) => [l.id, l] as const))('%s: written, and docker-compose reads every service of it', async (_id, lab) => {
    const dir = mkdtempSync(join(tmpdir(), 'authlab-lab-compose-'));
    await writeLabCompose(lab, VERSION, dir);
    await labelProject(dir, composeServices(lab));
    const read = await compose({ dir, env: { ...(await imagesEnv(lab, VERSION)), N8N_PORT: '5678', PROXY_PORT: '8080' } }, 'config', '--services');
    expect(read.stdout.trim().split('\n').sort()).toEqual([...composeServices(lab)].sort());
  });
});

describe(`lab compose exports run with docker-compose (n8n ${VERSION}, ${SIDE_BY_SIDE} side by side)`, () => {
  // A project waits for its slot inside its test: the timeout covers the queue.
  const timeout = queuedTimeout(live.length);
  test.concurrent.each(live.map((l) => [l.id, l] as const))('%s: docker-compose up -d shows the symptom; down -v after', { timeout }, async (_id, lab) => {
    for (const [i, version] of VERSIONS.entries()) {
      try {
        return await slot(() => runExport(lab, version));
      } catch (err) {
        if (!(err instanceof NoSymptom) || i === VERSIONS.length - 1) throw err;
        console.info(`${lab.id}: n8n ${version} shows no symptom (${err.message.slice(0, 200)}); the export again on n8n ${VERSIONS[i + 1]}`);
      }
    }
  });
});

/** One export, written, started, exercised as its README says, and removed with down -v whatever happened. */
async function runExport(lab: Lab, version: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'authlab-lab-compose-'));
  await writeLabCompose(lab, version, dir);
  await labelProject(dir, composeServices(lab));
  const [n8nPort, proxyPort] = [await freePort(), await freePort()];
  const run: ComposeRun = {
    dir,
    env: { ...(await imagesEnv(lab, version)), N8N_PORT: String(n8nPort), PROXY_PORT: String(proxyPort), COMPOSE_PROJECT_NAME: `authlab-lab-${n8nPort}` },
    n8nUrl: `http://127.0.0.1:${n8nPort}`,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
  };
  try {
    await compose(run, 'up', '-d');
    await (lab.lab.composeLogSymptom ? logSymptomThenFix(lab, run, lab.lab.composeLogSymptom) : symptomThenFix(lab, run));
  } finally {
    await compose(run, 'down', '-v').catch((err: unknown) => console.error(`docker-compose down -v in ${dir}: ${String(err)}`));
  }
}
