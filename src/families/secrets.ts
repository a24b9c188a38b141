import { randomBytes } from 'node:crypto';
import { record, type Exchange } from '../client/exchange.ts';
import { rawRequest } from '../client/raw-http.ts';
import { runProgram, shellCurlProbe } from '../client/curl.ts';
import { API_KEY_HEADER, check, n8nEnv, PUBLIC_WORKFLOWS, send, sendKey } from '../scenarios/probes.ts';
import { EnvFile } from '../stack/env-file.ts';
import { DEFAULT_STACK } from './stacks.ts';
import type { Check, DoctorExpectation, DoctorVerdict, Judgement, Observation, Scenario, ScenarioContext } from '../scenarios/types.ts';
import { deployBearerWorkflow, executionError, executionExchange, recentExecutions, runWebhookWorkflow, type ExecutionSummary, type WebhookWorkflow } from '../scenarios/workflows.ts';
import { answeredBy, failed, happensOn } from '../scenarios/judgement.ts';
import { fingerprint, registerSecret } from '../secrets.ts';
import { DECRYPTION_ERROR } from '../doctor/executions.ts';
import { newEncryptionKey, workerOf, type StackSpec } from '../stack/auth-stack.ts';
import { N8N_DATA_DIR, N8nStartError, type N8nReplacement } from '../stack/n8n-container.ts';

/** One n8n on SQLite with its key in N8N_ENCRYPTION_KEY; each scenario changes its own copy. */
const SQLITE_STACK: StackSpec = { name: 'secrets-sqlite' };
/**
 * n8n on PostgreSQL with the key it generated itself (no N8N_ENCRYPTION_KEY), as on a first
 * `docker run` without it; the database outlives the `.n8n` volume.
 */
const GENERATED_KEY_STACK: StackSpec = { name: 'secrets-postgres', database: 'postgres', generatedEncryptionKey: true, providers: ['bearer-api'] };


/** The encryption key in n8n's settings file (`/home/node/.n8n/config`). */
async function settingsFileKey(ctx: ScenarioContext): Promise<string> {
  const { output } = await ctx.n8n.container.exec(['cat', `${N8N_DATA_DIR}/config`]);
  const key = (JSON.parse(output) as { encryptionKey?: string }).encryptionKey ?? '';
  return registerSecret(key, 'encryption-key');
}

/** What a client sees while n8n is down: nothing answers; the error carries how n8n ended. */
function n8nDown(ctx: ScenarioContext, label: string, failure: N8nStartError): Exchange {
  return record({
    label,
    via: 'client',
    request: { method: 'GET', url: `${ctx.n8n.container.getBaseUrl()}/api/v1/workflows`, headers: [] },
    error: `n8n did not start: ${failure.exit ? `it exited with code ${failure.exit.exitCode}` : 'it never became ready'}; it said: ${failure.said}`,
  });
}

/** The stack's API key on /api/v1/workflows, or the down-ness of n8n when it did not start. */
async function keyOrDown(ctx: ScenarioContext, label: string): Promise<Exchange> {
  const failure = ctx.stack.primaryFailure;
  return failure ? n8nDown(ctx, label, failure) : sendKey(ctx, label);
}

/**
 * Where one n8n version refuses to start and another starts and refuses the key: the doctor must
 * say n8n is down, else `refused`; `accepted` where n8n shrugs the fault off.
 */
function downOr(refused: DoctorVerdict, accepted: DoctorVerdict = refused): DoctorExpectation['names'] {
  return {
    among: ['n8n-unreachable', refused, accepted],
    decide: (symptom) => (symptom.some((e) => e.outcome === 'not-sent') ? 'n8n-unreachable' : symptom.every((e) => e.outcome === 'accepted') ? accepted : refused),
  };
}

const keyMismatch: Scenario = {
  id: 'secrets.key-mismatch-refuses-start',
  family: 'secrets',
  title: 'after a rebuild with another N8N_ENCRYPTION_KEY, credentials and keys silently stop working',
  guide: {
    section: 'D',
    claim: 'after a container rebuild, update or migration every stored credential silently stops working; the error looks like a wrong API key',
    fix: 'set the original key as N8N_ENCRYPTION_KEY and restart n8n',
  },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const original = await settingsFileKey(ctx);
    ctx.memo.set('originalKey', original);
    const other = newEncryptionKey();
    ctx.progress('recreating n8n with another N8N_ENCRYPTION_KEY over the same data');
    await ctx.stack.tryReplacePrimary({ encryptionKey: other });
    return [check("the new N8N_ENCRYPTION_KEY differs from the key in n8n's settings file", other !== original, `settings file ${fingerprint(original)}, env ${fingerprint(other)}`)];
  },
  symptom: async (ctx) => [await keyOrDown(ctx, 'the API key after the rebuild')],
  remedies: [
    {
      name: 'set the original key as N8N_ENCRYPTION_KEY and start n8n',
      source: 'guide',
      apply: async (ctx) => {
        const failure = await ctx.stack.tryStartPrimary({ encryptionKey: ctx.memo.get('originalKey') ?? '' });
        return [check('n8n starts with the original key', failure === undefined, failure?.message.split('\n')[0] ?? 'started')];
      },
      probe: async (ctx) => [await keyOrDown(ctx, 'the API key, n8n on its original key')],
    },
  ],
  doctor: { names: 'n8n-unreachable' },
};

/**
 * What the doctor can see after the loss, by what n8n did: nothing answers (it refused to start);
 * the old key refused (n8n derived its signing secret from the new key); or the old key still
 * works (the secret did not change with it) and the credential's workflow fails to decrypt.
 */
const lostFolderNames: DoctorExpectation['names'] = {
  among: ['n8n-unreachable', 'instance-secret-changed', 'credentials-undecryptable', 'healthy'],
  decide: (symptom) => {
    const key = symptom[0];
    if (!key || key.outcome === 'not-sent') return 'n8n-unreachable';
    if (key.outcome !== 'accepted') return 'instance-secret-changed';
    return DECRYPTION_ERROR.test(executionError(symptom)) ? 'credentials-undecryptable' : 'healthy';
  },
};

const lostDataFolder: Scenario = {
  id: 'secrets.n8n-folder-lost',
  family: 'secrets',
  title: 'when the .n8n folder is lost, n8n generates a new key and stored credentials fail to decrypt',
  guide: {
    section: 'D',
    claim: "if ~/.n8n/config disappears n8n generates a new random key; every workflow that touches a credential returns 401 or 'credentials could not be decrypted'",
    fix: 'find the old key, set it as N8N_ENCRYPTION_KEY and restart n8n',
  },
  predicts: { outcome: 'rejected', says: 'could not be decrypted' },
  stack: GENERATED_KEY_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const workflow = await deployBearerWorkflow(ctx);
    ctx.memo.set('workflow', JSON.stringify(workflow));
    const before = await runWebhookWorkflow(ctx, workflow, 'before the loss', 'bearer-api');
    const oldKey = await settingsFileKey(ctx);
    ctx.memo.set('oldKey', oldKey);
    ctx.progress('recreating n8n on an empty .n8n volume (the database survives)');
    const failure = await ctx.stack.tryReplacePrimary({ freshData: true });
    const credentials = (await ctx.stack.postgres?.query('SELECT count(*) FROM credentials_entity')) ?? '0';
    const generated = failure
      ? check('n8n generated a new key into a new settings file', failure.lastLogLines.some((l) => /Auto-generating/i.test(l)), 'its log: No encryption key found - Auto-generating and saving')
      : await settingsFileKey(ctx).then((newKey) => check('n8n generated a new key into a new settings file', newKey !== '' && newKey !== oldKey, `before ${fingerprint(oldKey)}, after ${fingerprint(newKey)}`));
    return [
      check('the credential worked before the loss', executionError(before) === '', executionError(before) || 'the execution succeeded'),
      generated,
      check('the database survived with the credential in it', Number(credentials) >= 1, `${credentials} row(s) in credentials_entity`),
    ];
  },
  symptom: (ctx) => credentialAndKey(ctx, 'after the loss'),
  judge: judgeLostFolder,
  remedies: [
    {
      name: 'set the old key as N8N_ENCRYPTION_KEY and restart n8n (the regenerated settings file stays)',
      source: 'guide',
      apply: async (ctx) => {
        const failure = await ctx.stack.tryStartPrimary({ encryptionKey: ctx.memo.get('oldKey') ?? '' });
        return [check('n8n starts with the old key', failure === undefined, failure?.message.split('\n')[0] ?? 'started')];
      },
      probe: (ctx) => credentialAndKey(ctx, 'the old key set'),
    },
    {
      name: 'set the old key as N8N_ENCRYPTION_KEY and remove the regenerated settings file (or restore the backed-up .n8n)',
      source: 'correct',
      apply: async (ctx) => {
        const failure = await ctx.stack.tryStartPrimary({ encryptionKey: ctx.memo.get('oldKey') ?? '', freshData: true });
        return [check('n8n starts with the old key', failure === undefined, failure?.message.split('\n')[0] ?? 'started')];
      },
      probe: (ctx) => credentialAndKey(ctx, 'the old key restored'),
    },
  ],
  doctor: { names: lostFolderNames, input: (ctx) => ({ encryptionKey: ctx.memo.get('oldKey') ?? '' }) },
};

function workflowOf(ctx: ScenarioContext): WebhookWorkflow {
  return JSON.parse(ctx.memo.get('workflow') ?? '{}') as WebhookWorkflow;
}

/**
 * A key made by the running n8n, to read executions with, once per container. (n8n mints the
 * same JWT twice within one second for one user and then refuses the second as a duplicate.)
 */
async function readKeyOf(ctx: ScenarioContext): Promise<string> {
  const memo = `readKey:${ctx.n8n.container.getId()}`;
  const known = ctx.memo.get(memo);
  if (known) return known;
  const key = (await ctx.n8n.client.createApiKey({ label: `read-${randomBytes(3).toString('hex')}` })).rawApiKey;
  ctx.memo.set(memo, key);
  return key;
}

/**
 * The API key issued before the loss and the credential workflow's run (read back by a key that
 * works on this n8n), or, while n8n does not start, what a client gets then.
 */
async function credentialAndKey(ctx: ScenarioContext, label: string): Promise<Exchange[]> {
  const failure = ctx.stack.primaryFailure;
  if (failure) return [n8nDown(ctx, `${label}: the API key issued before the loss`, failure)];
  return [
    await sendKey(ctx, `${label}: the API key issued before the loss`),
    ...(await runWebhookWorkflow(ctx, workflowOf(ctx), label, 'bearer-api', await readKeyOf(ctx))),
  ];
}

/**
 * The guide predicts a 401 or "could not be decrypted" from workflows: the claim holds when the
 * execution fails on its credential (either of n8n's decryption errors, or a 401 from the API).
 */
function judgeLostFolder(obs: Observation): Judgement {
  const down = obs.symptom.find((e) => e.outcome === 'not-sent');
  if (down) return { happens: 'yes', symptomMatches: false, answered: `n8n does not start: ${down.error ?? 'unknown'}`, reasons: [`nothing fails silently: ${down.error ?? 'n8n did not start'}`] };
  const error = executionError(obs.symptom);
  const failsOnCredential = DECRYPTION_ERROR.test(error) || /401/.test(error);
  return {
    happens: error ? 'yes' : 'no',
    symptomMatches: failsOnCredential,
    answered: error ? `the execution fails: ${error.slice(0, 160)}` : 'the execution succeeds',
    reasons: failsOnCredential ? [] : [`the workflow's execution did not fail on its credential: ${error || 'it succeeded'}`],
  };
}

const jwtSecretChanged: Scenario = {
  id: 'secrets.jwt-secret-changed',
  family: 'secrets',
  title: 'a changed N8N_USER_MANAGEMENT_JWT_SECRET rejects every API key and session, while credentials still decrypt',
  guide: {
    section: 'D',
    claim: 'a key change after a restart shows as 401 on API keys (the guide names only N8N_ENCRYPTION_KEY)',
    fix: 'restore the setting that changed',
  },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const credentialId = await ctx.n8n.client.createCredential({ name: 'kept secret', type: 'httpHeaderAuth', data: { name: 'Authorization', value: registerSecret(`Bearer ${randomBytes(12).toString('hex')}`) } });
    ctx.memo.set('credentialId', credentialId);
    ctx.memo.set('oldCookie', ctx.n8n.client.sessionCookie() ?? '');
    const secret = registerSecret(randomBytes(24).toString('hex'), 'jwt-secret');
    ctx.progress('recreating n8n with N8N_USER_MANAGEMENT_JWT_SECRET set');
    await ctx.stack.replacePrimary({ env: { N8N_USER_MANAGEMENT_JWT_SECRET: secret } });
    const seen = await n8nEnv(ctx, 'N8N_USER_MANAGEMENT_JWT_SECRET');
    return [check('n8n runs with the new JWT secret', seen === secret, `N8N_USER_MANAGEMENT_JWT_SECRET ${fingerprint(seen)}`)];
  },
  symptom: async (ctx) => [
    await sendKey(ctx, 'the API key issued before the change'),
    await rawRequest({ label: 'the browser session from before the change, on /rest/login (who am I)', url: `${ctx.n8n.container.getBaseUrl()}/rest/login`, headers: [['Cookie', ctx.memo.get('oldCookie') ?? '']] }),
  ],
  // Credentials are encrypted with N8N_ENCRYPTION_KEY, not the JWT secret: the editor still reads them.
  alongside: async (ctx) => [await credentialRead(ctx)],
  remedies: [
    {
      name: 'restore the JWT secret (unset N8N_USER_MANAGEMENT_JWT_SECRET) and recreate n8n',
      source: 'correct',
      apply: async (ctx) => {
        await ctx.stack.replacePrimary({ unset: ['N8N_USER_MANAGEMENT_JWT_SECRET'] });
      },
      probe: async (ctx) => [await sendKey(ctx, 'the API key issued before the change')],
    },
  ],
  doctor: { names: 'instance-secret-changed' },
};

/** The stored credential read back decrypted, signed in as its owner. */
async function credentialRead(ctx: ScenarioContext): Promise<Exchange> {
  const id = ctx.memo.get('credentialId') ?? '';
  const answer = await ctx.n8n.client.call('GET', `/rest/credentials/${id}?includeData=true`);
  // The value is redacted in the answer, but the header name sits in the same encrypted blob: readable means decrypted.
  const data = (answer.json as { data?: { data?: { name?: string } } } | undefined)?.data?.data;
  return record({
    label: 'the stored credential, read decrypted by its owner',
    via: 'client',
    request: { method: 'GET', url: `${ctx.n8n.container.getBaseUrl()}/rest/credentials/${id}?includeData=true`, headers: [] },
    response: { status: answer.status, body: JSON.stringify({ decrypted: data?.name === 'Authorization', headerName: data?.name ?? null }) },
  });
}

const JWT_SECRET = 'N8N_USER_MANAGEMENT_JWT_SECRET';
/** Where n8n's process runs (the image's WORKDIR): n8n loads a `.env` from here at every start. */
const N8N_WORKDIR_ENV = '/home/node/.env';
/** Where the guide mounts the .env: inside the data folder, which nothing reads a .env from. */
const GUIDE_ENV_PATH = `${N8N_DATA_DIR}/.env`;

function newJwtSecret(): string {
  return registerSecret(randomBytes(24).toString('hex'), 'jwt-secret');
}

/** A key created now (its signature depends on the JWT secret n8n runs with), kept for the scenario. */
async function keepKey(ctx: ScenarioContext, label: string): Promise<void> {
  ctx.memo.set('keptKey', (await ctx.n8n.client.createApiKey({ label })).rawApiKey);
}

function sendKept(ctx: ScenarioContext, label: string): Promise<Exchange> {
  return send(ctx, label, [[API_KEY_HEADER, ctx.memo.get('keptKey') ?? '']]);
}

async function envFileOf(ctx: ScenarioContext, secret: string): Promise<EnvFile> {
  return EnvFile.fromFixture('n8n', ctx.workdir, { jwtSecret: secret });
}

const ciSecret: Scenario = {
  id: 'secrets.ci-secret-not-exported',
  family: 'secrets',
  title: 'a CI step whose secret variable was not exported sends no key and gets 401',
  guide: { section: '7', claim: '401 in a CI pipeline: the CI secret variable was not exported', fix: 'echo the variable in the CI step to confirm; export N8N_API_KEY=...' },
  predicts: { outcome: 'rejected' },
  stack: DEFAULT_STACK,
  symptom: async (ctx) => [await shellCurlProbe('the CI step: curl -H "X-N8N-API-KEY: $N8N_API_KEY", the variable not exported', publicUrl(ctx), CI_HEADER, {})],
  proveFromRequest: ([sent]) => {
    const value = sent?.request.headers.find(([k]) => k.toLowerCase() === 'x-n8n-api-key')?.[1];
    return [check('the key did not reach the request: curl sent the header empty or not at all', !value, value === undefined ? 'no X-N8N-API-KEY line in curl -v' : `X-N8N-API-KEY: "${value}"`)];
  },
  // The same slip in a Node.js step: fetch turns the missing value into the string "undefined".
  alongside: async (ctx) => [await nodeStepWithoutSecret(ctx)],
  remedies: [
    {
      name: 'export N8N_API_KEY in the CI step',
      source: 'guide',
      probe: async (ctx) => [await shellCurlProbe('the CI step with N8N_API_KEY exported', publicUrl(ctx), CI_HEADER, { N8N_API_KEY: ctx.n8n.apiKey.rawApiKey })],
    },
  ],
  doctor: { names: 'key-missing', input: (_ctx, phase) => (phase === 'broken' ? { key: '' } : {}) },
};

const CI_HEADER = '-H "X-N8N-API-KEY: $N8N_API_KEY"';

function publicUrl(ctx: ScenarioContext): string {
  return `${ctx.n8n.container.getBaseUrl()}${PUBLIC_WORKFLOWS}`;
}

/** `fetch(url, { headers: { 'X-N8N-API-KEY': process.env.N8N_API_KEY } })` in a real Node.js process without the variable. */
async function nodeStepWithoutSecret(ctx: ScenarioContext): Promise<Exchange> {
  const script = "fetch(process.env.AUTHLAB_URL,{headers:{'X-N8N-API-KEY':process.env.N8N_API_KEY}}).then(async r=>console.log(JSON.stringify({status:r.status,body:await r.text()})),e=>{console.error(e.message);process.exit(1)})";
  const run = await runProgram(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', AUTHLAB_URL: publicUrl(ctx) } });
  const answer = run.exitCode === 0 ? (JSON.parse(run.stdout) as { status: number; body: string }) : undefined;
  return record({
    label: "a Node.js step: fetch with headers { 'X-N8N-API-KEY': process.env.N8N_API_KEY }, the variable not set",
    via: 'node-process',
    request: { method: 'GET', url: publicUrl(ctx), headers: [['X-N8N-API-KEY', 'undefined (String(process.env.N8N_API_KEY))']] },
    ...(answer ? { response: answer } : { error: run.stderr.trim() }),
  });
}

const envNotMounted: Scenario = {
  id: 'secrets.env-file-not-mounted',
  family: 'secrets',
  title: 'after docker compose up without the .env, keys signed under its settings get 401; mounting it at /home/node/.n8n/.env fixes it',
  guide: { section: '7', claim: '401 after docker compose up: the .env file is not mounted', fix: 'add volumes: - ./n8n/.env:/home/node/.n8n/.env' },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const secret = newJwtSecret();
    ctx.memo.set('secret', secret);
    const env = await envFileOf(ctx, secret);
    ctx.progress('creating n8n with the .env (env_file:) and a key under its JWT secret');
    await ctx.stack.replacePrimary({ env: await env.vars() });
    await keepKey(ctx, 'issued-under-the-env-file');
    const before = await sendKept(ctx, 'the key while the .env is passed');
    ctx.progress('recreating n8n without the .env');
    await ctx.stack.replacePrimary({ unset: Object.keys(await env.vars()) });
    return [
      check('the key worked while n8n had the .env', before.outcome === 'accepted', `${before.response?.status ?? before.error}`),
      check('n8n now runs without the .env settings', (await n8nEnv(ctx, JWT_SECRET)) === '', `${JWT_SECRET} unset`),
    ];
  },
  symptom: async (ctx) => [await sendKept(ctx, 'the key after compose up without the .env')],
  remedies: [
    {
      name: 'mount the .env at /home/node/.n8n/.env (the guide) and recreate n8n',
      source: 'guide',
      apply: async (ctx) => {
        await ctx.stack.replacePrimary({ files: [{ path: GUIDE_ENV_PATH, content: await (await envFileOf(ctx, ctx.memo.get('secret') ?? '')).text() }] });
      },
      probe: async (ctx) => [await sendKept(ctx, 'the key, .env at /home/node/.n8n/.env')],
    },
    {
      name: "mount the .env at /home/node/.env (n8n's working folder, where it loads a .env from) and recreate n8n",
      source: 'tried',
      apply: async (ctx) => {
        await ctx.stack.replacePrimary({ files: [{ path: N8N_WORKDIR_ENV, content: await (await envFileOf(ctx, ctx.memo.get('secret') ?? '')).text() }] });
      },
      probe: async (ctx) => [await sendKept(ctx, 'the key, .env at /home/node/.env')],
    },
    {
      name: 'pass the .env with env_file: and recreate n8n',
      source: 'correct',
      apply: async (ctx) => {
        await ctx.stack.replacePrimary({ env: await (await envFileOf(ctx, ctx.memo.get('secret') ?? '')).vars() });
      },
      probe: async (ctx) => [await sendKept(ctx, 'the key, .env passed with env_file:')],
    },
  ],
  doctor: { names: 'instance-secret-changed', input: (ctx) => ({ key: ctx.memo.get('keptKey') ?? '', jwtSecret: ctx.memo.get('secret') ?? '' }) },
};

/** Creates n8n with the .env passed by compose (env_file:), keeps a key made under it, then puts a bad value in the .env and recreates n8n. */
async function badEditRecreated(ctx: ScenarioContext): Promise<Check[]> {
  const good = newJwtSecret();
  const env = await envFileOf(ctx, good);
  ctx.memo.set('secret', good);
  await ctx.stack.replacePrimary({ env: await env.vars() });
  await keepKey(ctx, 'issued-under-the-good-env');
  const before = await sendKept(ctx, 'the key with the good .env');
  ctx.progress('a bad edit of the .env, and n8n recreated with it');
  const bad = newJwtSecret();
  await env.set(JWT_SECRET, bad);
  await ctx.stack.replacePrimary({ env: await env.vars() });
  return [
    check('the key worked with the good .env', before.outcome === 'accepted', `${before.response?.status ?? before.error}`),
    check('n8n runs with the bad value from the .env', (await n8nEnv(ctx, JWT_SECRET)) === bad, `${JWT_SECRET} ${fingerprint(bad)}`),
  ];
}

const envEditRestart: Scenario = {
  id: 'secrets.env-edit-restart',
  family: 'secrets',
  title: 'after fixing the .env (env_file:), restarting n8n makes the error disappear',
  guide: { section: 'Quick fix', claim: 'restart n8n after any change to the .env file; the error should disappear', fix: 'restart n8n (docker restart n8n)' },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: badEditRecreated,
  symptom: async (ctx) => [await sendKept(ctx, 'the key after the bad edit')],
  remedies: [
    {
      name: 'fix the .env and restart n8n (docker restart n8n)',
      source: 'guide',
      apply: async (ctx) => {
        await envFileOf(ctx, ctx.memo.get('secret') ?? ''); // the .env, fixed on the host
        ctx.progress('docker restart n8n');
        await ctx.n8n.container.restart();
        const seen = await n8nEnv(ctx, JWT_SECRET);
        return [check('the restarted container still has the env it was created with', seen !== ctx.memo.get('secret'), `${JWT_SECRET} ${fingerprint(seen)} (the fixed .env has ${fingerprint(ctx.memo.get('secret') ?? '')})`)];
      },
      probe: async (ctx) => [await sendKept(ctx, 'the key after docker restart')],
    },
    {
      name: 'fix the .env and recreate the container (docker compose up -d)',
      source: 'correct',
      apply: async (ctx) => {
        await ctx.stack.replacePrimary({ env: await (await envFileOf(ctx, ctx.memo.get('secret') ?? '')).vars() });
      },
      probe: async (ctx) => [await sendKept(ctx, 'the key after docker compose up -d')],
    },
  ],
  doctor: { names: 'instance-secret-changed', input: (ctx) => ({ key: ctx.memo.get('keptKey') ?? '', jwtSecret: ctx.memo.get('secret') ?? '' }) },
};

const dotenvRestart: Scenario = {
  id: 'secrets.dotenv-restart',
  family: 'secrets',
  title: "after fixing a .env in n8n's working folder (/home/node/.env), restarting n8n makes the error disappear",
  guide: { section: 'Quick fix', claim: 'restart n8n after any change to the .env file; the error should disappear', fix: 'restart n8n (docker restart n8n)' },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const good = newJwtSecret();
    ctx.memo.set('secret', good);
    await ctx.stack.replacePrimary({ files: [{ path: N8N_WORKDIR_ENV, content: await (await envFileOf(ctx, good)).text() }] });
    await keepKey(ctx, 'issued-under-the-dotenv');
    const before = await sendKept(ctx, 'the key with the good /home/node/.env');
    ctx.progress('a bad edit of /home/node/.env, then docker restart');
    await ctx.n8n.container.copyContentToContainer([{ content: await (await envFileOf(ctx, newJwtSecret())).text(), target: N8N_WORKDIR_ENV, mode: 0o644 }]);
    await ctx.n8n.container.restart();
    return [
      check('the key worked with the good .env', before.outcome === 'accepted', `${before.response?.status ?? before.error}`),
      check('n8n has no JWT secret in its container env (it reads the file)', (await n8nEnv(ctx, JWT_SECRET)) === '', `${JWT_SECRET} not in the container's env`),
    ];
  },
  symptom: async (ctx) => [await sendKept(ctx, 'the key after the bad edit and a restart')],
  remedies: [
    {
      name: 'fix /home/node/.env and restart n8n (docker restart n8n)',
      source: 'guide',
      apply: async (ctx) => {
        await ctx.n8n.container.copyContentToContainer([{ content: await (await envFileOf(ctx, ctx.memo.get('secret') ?? '')).text(), target: N8N_WORKDIR_ENV, mode: 0o644 }]);
        await ctx.n8n.container.restart();
      },
      probe: async (ctx) => [await sendKept(ctx, 'the key after the fix and docker restart')],
    },
  ],
  doctor: { names: 'instance-secret-changed', input: (ctx) => ({ key: ctx.memo.get('keptKey') ?? '', jwtSecret: ctx.memo.get('secret') ?? '' }) },
};

const KEY_FILE = '/home/node/encryption-key';

/** The claim "no line breaks" holds when a line break keeps the key from working: refused, or n8n down. */
function judgeBrokenByNewline(obs: Observation): Judgement {
  const broken = obs.symptom.filter(failed);
  return {
    ...happensOn(broken, obs.symptom),
    symptomMatches: broken.length > 0,
    answered: answeredBy(broken.length ? broken : obs.symptom),
    reasons: broken.length ? [] : [`n8n ignored the trailing newline: ${answeredBy(obs.symptom)}`],
  };
}

const keyFileNewline: Scenario = {
  id: 'secrets.key-file-newline',
  family: 'secrets',
  title: 'an N8N_ENCRYPTION_KEY_FILE that ends with a line break breaks the key',
  guide: { section: 'Quick fix', claim: 'values must contain no extra spaces or line-breaks', fix: 'remove the line break' },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const key = await settingsFileKey(ctx);
    ctx.memo.set('key', key);
    // Control: n8n reads the file at all (else a newline could not matter): another key in it stops n8n.
    ctx.progress('control: N8N_ENCRYPTION_KEY_FILE holding another key');
    const control = await ctx.stack.tryReplacePrimary({ encryptionKey: null, env: { N8N_ENCRYPTION_KEY_FILE: KEY_FILE }, files: [{ path: KEY_FILE, content: newEncryptionKey() }] });
    ctx.progress('N8N_ENCRYPTION_KEY_FILE written by echo (the key and a trailing newline)');
    await ctx.stack.tryStartPrimary({ encryptionKey: null, env: { N8N_ENCRYPTION_KEY_FILE: KEY_FILE }, files: [{ path: KEY_FILE, content: `${key}\n` }] });
    const settings = ctx.stack.primaryFailure?.settings ?? ctx.n8n.container.settings;
    const file = settings.files?.find((f) => f.path === KEY_FILE)?.content ?? '';
    const mismatch = control?.lastLogLines.find((l) => /Mismatching encryption keys/.test(l));
    return [
      check('n8n reads N8N_ENCRYPTION_KEY_FILE: another key in it stops n8n with the mismatch error', mismatch !== undefined, mismatch?.trim().slice(0, 160) ?? (control ? control.message.split('\n')[0]! : 'n8n started with another key in the file')),
      check('the key file holds the key and a trailing newline', file === `${key}\n`, `${file.length} bytes, last byte ${JSON.stringify(file.slice(-1))}`),
      check('N8N_ENCRYPTION_KEY is not set beside it', settings.encryptionKey === undefined && !('N8N_ENCRYPTION_KEY' in settings.env), 'only N8N_ENCRYPTION_KEY_FILE'),
    ];
  },
  symptom: async (ctx) => [await keyOrDown(ctx, 'the API key, n8n on the key file')],
  judge: judgeBrokenByNewline,
  remedies: [
    {
      name: "write the key file without the newline (printf '%s')",
      source: 'correct',
      apply: async (ctx) => {
        const failure = await ctx.stack.tryStartPrimary({ encryptionKey: null, env: { N8N_ENCRYPTION_KEY_FILE: KEY_FILE }, files: [{ path: KEY_FILE, content: ctx.memo.get('key') ?? '' }] });
        return [check('n8n starts on the key file', failure === undefined, failure?.message.split('\n')[0] ?? 'started')];
      },
      probe: async (ctx) => [await keyOrDown(ctx, 'the API key, key file without newline')],
    },
  ],
  doctor: { names: downOr('instance-secret-changed', 'healthy'), input: (ctx) => ({ encryptionKey: ctx.memo.get('key') ?? '' }) },
};

/**
 * Queue mode: main, PostgreSQL, Redis and one worker; each worker takes one job at a time, so
 * executions started together spread over the workers.
 */
const QUEUE_STACK: StackSpec = { name: 'queue', queue: { workers: 1, workerEnv: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '1' } }, providers: ['bearer-api'] };
const QUEUE_RUNS = 8;
const ODD_WORKER = 'n8n-worker-odd';

/** Starts the workflow QUEUE_RUNS times at once and records each execution with the worker that ran it. */
async function runOnWorkers(ctx: ScenarioContext, label: string): Promise<Exchange[]> {
  const workflow = workflowOf(ctx);
  const url = `${ctx.n8n.container.getBaseUrl()}/webhook/${workflow.webhookPath}`;
  const triggers = await Promise.all(Array.from({ length: QUEUE_RUNS }, (_, i) => rawRequest({ label: `${label}: webhook call ${i + 1}`, url, headers: [], timeoutMs: 60_000 })));
  const { path, status, text, executions } = await recentExecutions(ctx, workflow.id, QUEUE_RUNS);
  const ranOn = (id: string) => ctx.stack.workers.find((w) => w.logLines.since(0).some((l) => l.includes(`Worker started execution ${id} `)))?.settings.alias ?? 'no worker logged it';
  return [
    ...triggers.map((t) => ({ ...t, context: true as const })),
    ...executions.map((e) => executionExchange(ctx, `${label}: execution ${e.id} on ${ranOn(e.id)}`, path, status, e, text)),
  ];
}

/** The odd worker's failed start, as a client-side record (it never took a job). */
function oddWorkerDown(ctx: ScenarioContext): Exchange[] {
  const down = ctx.memo.get('oddWorkerDown');
  if (down === undefined) return [];
  return [record({ label: `${ODD_WORKER}, started with another key`, via: 'client', request: { method: 'START', url: `container ${ODD_WORKER}`, headers: [] }, error: down })];
}

/** Which worker each recorded execution ran on, and whether it failed. */
function byWorker(exchanges: Exchange[]): Array<{ worker: string; failed: boolean; error: string }> {
  return exchanges
    .filter((e) => !e.context && e.request.url.includes('/executions'))
    .map((e) => {
      const summary = JSON.parse(e.response?.body ?? '{}') as ExecutionSummary;
      return { worker: /on (\S+)$/.exec(e.label)?.[1] ?? '?', failed: summary.status !== 'success', error: summary.error?.message ?? '' };
    });
}

/** Whether the workflow's newest recorded execution (runOnWorkers records them newest first) failed on decryption. */
function newestFailedOnDecryption(symptom: Exchange[]): boolean {
  const newest = byWorker(symptom)[0];
  return newest !== undefined && newest.failed && DECRYPTION_ERROR.test(newest.error);
}

/** The guide's claim: executions fail on the worker with the other key, and only there. */
function judgeOddWorker(obs: Observation): Judgement {
  const down = obs.symptom.find((e) => e.outcome === 'not-sent');
  if (down) {
    const why = `the worker with another key does not start: ${down.error ?? ''}`;
    return { happens: 'yes', symptomMatches: false, answered: why.slice(0, 200), reasons: [`nothing fails silently: ${why}`] };
  }
  const runs = byWorker(obs.symptom);
  const odd = runs.filter((r) => r.worker === ODD_WORKER);
  const others = runs.filter((r) => r.worker !== ODD_WORKER);
  const oddFailed = odd.filter((r) => r.failed);
  const othersFailed = others.filter((r) => r.failed);
  const reasons: string[] = [];
  const oddOk = odd.filter((r) => !r.failed || !DECRYPTION_ERROR.test(r.error));
  if (oddOk.length) reasons.push(`${oddOk.length} of ${odd.length} execution(s) on ${ODD_WORKER} did not fail on decryption`);
  if (othersFailed.length) reasons.push(`${othersFailed.length} execution(s) on the matching worker failed too: ${othersFailed[0]!.error}`);
  const error = oddFailed[0]?.error ? ` (${oddFailed[0].error.slice(0, 120)})` : '';
  return {
    happens: oddFailed.length === 0 ? 'no' : oddFailed.length === odd.length ? 'yes' : 'partly',
    ...(oddFailed.length && oddFailed.length < odd.length ? { condition: `on ${oddFailed.length} of the ${odd.length} execution(s) ${ODD_WORKER} took` } : {}),
    symptomMatches: reasons.length === 0,
    answered: `${oddFailed.length} of ${odd.length} execution(s) on ${ODD_WORKER} failed${error}; ${othersFailed.length} of ${others.length} elsewhere`,
    reasons,
  };
}

/** The executions spread over both workers (or the odd one refused to start): else the fault was never put to the test. */
function spreadOverWorkers(symptom: Exchange[]): Check[] {
  if (symptom.some((e) => e.outcome === 'not-sent')) return [];
  const runs = byWorker(symptom);
  const odd = runs.filter((r) => r.worker === ODD_WORKER).length;
  return [check(`the executions ran on ${ODD_WORKER} and on another worker`, odd > 0 && runs.length > odd, `${odd} on ${ODD_WORKER}, ${runs.length - odd} elsewhere`)];
}

const queueWorkerKey: Scenario = {
  id: 'secrets.queue-worker-key-mismatch',
  family: 'secrets',
  title: 'in queue mode, a worker with another N8N_ENCRYPTION_KEY fails the executions it takes, and only those',
  guide: {
    section: 'D',
    claim: "in queue mode, if one worker has a different key, credentials silently fail on that worker's executions but work fine on others",
    fix: 'every worker and the main instance must load the identical N8N_ENCRYPTION_KEY',
  },
  predicts: { outcome: 'other' },
  stack: QUEUE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    ctx.memo.set('workflow', JSON.stringify(await deployBearerWorkflow(ctx)));
    const other = newEncryptionKey();
    ctx.progress(`starting ${ODD_WORKER} with another N8N_ENCRYPTION_KEY`);
    try {
      ctx.stack.workers.push(await workerOf(ctx.n8n.container, ODD_WORKER, { encryptionKey: other, env: QUEUE_STACK.queue?.workerEnv ?? {} }).start());
    } catch (err) {
      if (!(err instanceof N8nStartError)) throw err;
      ctx.memo.set('oddWorkerDown', n8nDown(ctx, `${ODD_WORKER}, started with another key`, err).error ?? '');
    }
    const mainKey = ctx.n8n.container.settings.encryptionKey ?? '';
    return [check(`${ODD_WORKER}'s key differs from the main's`, other !== mainKey, `main ${fingerprint(mainKey)}, ${ODD_WORKER} ${fingerprint(other)}`)];
  },
  symptom: async (ctx) => [...oddWorkerDown(ctx), ...(await runOnWorkers(ctx, 'one worker on another key'))],
  proveFromRequest: spreadOverWorkers,
  judge: judgeOddWorker,
  remedies: [
    {
      name: `recreate ${ODD_WORKER} with the main's N8N_ENCRYPTION_KEY`,
      source: 'guide',
      apply: async (ctx) => {
        const at = ctx.stack.workers.findIndex((w) => w.settings.alias === ODD_WORKER);
        const mainKey = ctx.n8n.container.settings.encryptionKey ?? null;
        // Its own .n8n holds the other key now: a new container without that volume, as compose workers usually run.
        if (at >= 0) ctx.stack.workers[at] = await ctx.stack.workers[at]!.replace({ encryptionKey: mainKey, freshData: true });
        else ctx.stack.workers.push(await workerOf(ctx.n8n.container, ODD_WORKER, { encryptionKey: mainKey, env: QUEUE_STACK.queue?.workerEnv ?? {} }).start());
      },
      probe: (ctx) => runOnWorkers(ctx, 'every worker on the same key'),
    },
  ],
  // n8n's API answers from the main, which has the right key; the worker's failed executions are
  // in the shared database, and the doctor judges each workflow by its latest: it sees the fault
  // when that one ran on the odd worker.
  doctor: { names: { among: ['credentials-undecryptable', 'healthy'], decide: (symptom) => (newestFailedOnDecryption(symptom) ? 'credentials-undecryptable' : 'healthy') } },
};

/** n8n run by pm2-runtime in its container; `pm2` commands reach the daemon through docker exec. */
const PM2_STACK: StackSpec = { name: 'secrets-pm2', layer: 'pm2' };

/** Runs a pm2 command with the given shell env (what the user exported) and waits for n8n to be back. */
async function pm2(ctx: ScenarioContext, command: string, env: Record<string, string>): Promise<Check> {
  const container = ctx.n8n.container;
  const mark = container.logLines.mark();
  ctx.progress(`pm2 ${command}`);
  const run = await container.exec(['sh', '-c', `pm2 ${command}`], { env });
  const back = await container.waitUntilServing(mark, 120_000);
  // Sessions are signed with the JWT secret: sign in again, as the user would after the restart.
  await ctx.n8n.client.login(ctx.n8n.owner);
  const said = run.output.split('\n').filter((l) => l.startsWith('[PM2]')).join(' | ');
  return check(`pm2 ${command} ran and n8n came back`, run.exitCode === 0 && back, `exit ${run.exitCode}; ${said.slice(0, 300)}`);
}

/** The JWT secret in the env of the n8n process pm2 runs (`pm2 env`), as a fingerprint. */
async function pm2AppSecret(ctx: ScenarioContext): Promise<string> {
  const { output } = await ctx.n8n.container.exec(['sh', '-c', 'pm2 env 0']);
  const value = new RegExp(`${JWT_SECRET}: (\\S+)`).exec(output)?.[1] ?? '';
  return value;
}

async function pm2SecretIs(ctx: ScenarioContext, what: string, secret: string): Promise<Check> {
  const seen = await pm2AppSecret(ctx);
  return check(what, seen === secret, `pm2 env 0: ${JWT_SECRET} ${seen ? fingerprint(seen) : 'unset'} (expected ${fingerprint(secret)})`);
}

/** Puts n8n back in the broken state (a bad secret it runs with) before each remedy, so each starts alike. */
async function pm2Broken(ctx: ScenarioContext): Promise<Check[]> {
  const bad = ctx.memo.get('badSecret') ?? '';
  return [await pm2(ctx, 'restart n8n --update-env', { [JWT_SECRET]: bad }), await pm2SecretIs(ctx, 'n8n runs with the bad secret again', bad)];
}

const pm2Restart: Scenario = {
  id: 'secrets.pm2-restart',
  family: 'secrets',
  title: 'under pm2, pm2 restart n8n reloads the environment after a change',
  guide: { section: '4', claim: 'step 4, reload environment: restart the Docker container or pm2 restart n8n', fix: 'pm2 restart n8n' },
  predicts: { outcome: 'rejected' },
  stack: PM2_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const good = newJwtSecret();
    const bad = newJwtSecret();
    ctx.memo.set('goodSecret', good);
    ctx.memo.set('badSecret', bad);
    const started = await pm2(ctx, 'restart n8n --update-env', { [JWT_SECRET]: good });
    await keepKey(ctx, 'issued-under-pm2');
    const before = await sendKept(ctx, 'the key under the good secret');
    return [
      started,
      check('the key worked under the good secret', before.outcome === 'accepted', `${before.response?.status ?? before.error}`),
      ...(await pm2Broken(ctx)),
    ];
  },
  symptom: async (ctx) => [await sendKept(ctx, 'the key while n8n runs with the bad secret')],
  remedies: [
    {
      name: 'export the good value and pm2 restart n8n',
      source: 'guide',
      apply: async (ctx) => [await pm2(ctx, 'restart n8n', { [JWT_SECRET]: ctx.memo.get('goodSecret') ?? '' })],
      probe: async (ctx) => [await sendKept(ctx, 'the key after pm2 restart n8n')],
    },
    {
      name: 'export the good value and pm2 delete n8n, then pm2 start it again',
      source: 'tried',
      apply: async (ctx) => [...(await pm2Broken(ctx)), await pm2(ctx, 'delete n8n && pm2 start /usr/local/bin/n8n --name n8n', { [JWT_SECRET]: ctx.memo.get('goodSecret') ?? '' })],
      probe: async (ctx) => [await sendKept(ctx, 'the key after a fresh pm2 start')],
    },
    {
      name: 'export the good value and pm2 restart n8n --update-env',
      source: 'correct',
      apply: async (ctx) => [...(await pm2Broken(ctx)), await pm2(ctx, 'restart n8n --update-env', { [JWT_SECRET]: ctx.memo.get('goodSecret') ?? '' })],
      probe: async (ctx) => [await sendKept(ctx, 'the key after pm2 restart n8n --update-env')],
    },
  ],
  doctor: { names: 'instance-secret-changed', input: (ctx) => ({ key: ctx.memo.get('keptKey') ?? '', jwtSecret: ctx.memo.get('goodSecret') ?? '' }) },
};

export const secretScenarios: Scenario[] = [keyMismatch, lostDataFolder, jwtSecretChanged, ciSecret, envNotMounted, envEditRestart, dotenvRestart, keyFileNewline, queueWorkerKey, pm2Restart];
