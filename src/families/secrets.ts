import { createHash, randomBytes } from 'node:crypto';
import { record, type Exchange } from '../client/exchange.ts';
import { rawRequest } from '../client/raw-http.ts';
import { check, n8nEnv, sendKey } from '../scenarios/probes.ts';
import type { Judgement, Observation, Scenario, ScenarioContext } from '../scenarios/types.ts';
import { deployBearerWorkflow, executionError, runWebhookWorkflow, type WebhookWorkflow } from '../scenarios/workflows.ts';
import { registerSecret } from '../secrets.ts';
import { newEncryptionKey, type StackSpec } from '../stack/auth-stack.ts';
import { N8N_DATA_DIR, type N8nReplacement, type N8nStartError } from '../stack/n8n-container.ts';

/** One n8n on SQLite with its key in N8N_ENCRYPTION_KEY; each scenario changes its own copy. */
const SQLITE_STACK: StackSpec = { name: 'secrets-sqlite' };
/**
 * n8n on PostgreSQL with the key it generated itself (no N8N_ENCRYPTION_KEY), as on a first
 * `docker run` without it; the database outlives the `.n8n` volume.
 */
const GENERATED_KEY_STACK: StackSpec = { name: 'secrets-postgres', database: 'postgres', generatedEncryptionKey: true, providers: ['bearer-api'] };

/** n8n's two ways of failing to decrypt with the wrong key (which one shows depends on the bytes). */
const DECRYPTION_ERROR = /could not be decrypted|Malformed UTF-8 data/i;

/** A short, safe fingerprint of a secret for evidence (never the secret). */
function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 10)}`;
}

/** The encryption key in n8n's settings file (`/home/node/.n8n/config`). */
async function settingsFileKey(ctx: ScenarioContext): Promise<string> {
  const { output } = await ctx.n8n.container.exec(['cat', `${N8N_DATA_DIR}/config`]);
  const key = (JSON.parse(output) as { encryptionKey?: string }).encryptionKey ?? '';
  return registerSecret(key, 'encryption-key');
}

/** What a client sees while n8n is down: nothing answers; the error carries how n8n ended. */
function n8nDown(ctx: ScenarioContext, label: string, failure: N8nStartError): Exchange {
  const lines = failure.lastLogLines;
  const said = lines.find((l) => /\bError: /.test(l)) ?? lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? '';
  return record({
    label,
    via: 'client',
    request: { method: 'GET', url: `${ctx.n8n.container.getBaseUrl()}/api/v1/workflows`, headers: [] },
    error: `n8n did not start: ${failure.exit ? `it exited with code ${failure.exit.exitCode}` : 'it never became ready'}; it said: ${said.trim()}`,
  });
}

/** Starts the primary with a change, whether it is running or a replacement of it failed to start. */
async function startPrimary(ctx: ScenarioContext, change: N8nReplacement): Promise<N8nStartError | undefined> {
  const failure = ctx.stack.primaryFailure;
  if (!failure) return ctx.stack.tryReplacePrimary(change);
  try {
    await ctx.stack.startPrimaryFrom(failure, change);
    return undefined;
  } catch (err) {
    return ctx.stack.tryReplacePrimary(change).catch(() => err as N8nStartError);
  }
}

/** The stack's API key on /api/v1/workflows, or the down-ness of n8n when it did not start. */
async function keyOrDown(ctx: ScenarioContext, label: string): Promise<Exchange> {
  const failure = ctx.stack.primaryFailure;
  return failure ? n8nDown(ctx, label, failure) : sendKey(ctx, label);
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
        const failure = await startPrimary(ctx, { encryptionKey: ctx.memo.get('originalKey') ?? '' });
        return [check('n8n starts with the original key', failure === undefined, failure?.message.split('\n')[0] ?? 'started')];
      },
      probe: async (ctx) => [await keyOrDown(ctx, 'the API key, n8n on its original key')],
    },
  ],
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
        const failure = await startPrimary(ctx, { encryptionKey: ctx.memo.get('oldKey') ?? '' });
        return [check('n8n starts with the old key', failure === undefined, failure?.message.split('\n')[0] ?? 'started')];
      },
      probe: (ctx) => credentialAndKey(ctx, 'the old key set'),
    },
    {
      name: 'set the old key as N8N_ENCRYPTION_KEY and remove the regenerated settings file (or restore the backed-up .n8n)',
      source: 'correct',
      apply: async (ctx) => {
        const failure = await startPrimary(ctx, { encryptionKey: ctx.memo.get('oldKey') ?? '', freshData: true });
        return [check('n8n starts with the old key', failure === undefined, failure?.message.split('\n')[0] ?? 'started')];
      },
      probe: (ctx) => credentialAndKey(ctx, 'the old key restored'),
    },
  ],
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
  if (down) return { symptomMatches: false, reasons: [`nothing fails silently: ${down.error ?? 'n8n did not start'}`] };
  const error = executionError(obs.symptom);
  const failsOnCredential = DECRYPTION_ERROR.test(error) || /401/.test(error);
  return { symptomMatches: failsOnCredential, reasons: failsOnCredential ? [] : [`the workflow's execution did not fail on its credential: ${error || 'it succeeded'}`] };
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

export const secretScenarios: Scenario[] = [keyMismatch, lostDataFolder, jwtSecretChanged];
