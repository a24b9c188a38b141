import { randomBytes } from 'node:crypto';
import type { Exchange } from '../../parts/client/exchange.ts';
import { answeredBy, failed, happensOn } from '../../core/judgement.ts';
import { check, prerequisite, sendKey } from '../../core/probes.ts';
import { defineScenario, required } from '../../core/define.ts';
import type { DoctorExpectation, Judgement, Observation, ScenarioContext } from '../../core/types.ts';
import { deployBearerWorkflow, executionError, runWebhookWorkflow, type WebhookWorkflow } from '../../core/workflows.ts';
import { fingerprint } from '../../base/secrets.ts';
import { newEncryptionKey, type StackSpec } from '../../parts/stack/auth-stack.ts';
import type { StartedN8nContainer } from '../../parts/stack/n8n-container.ts';
import { DECRYPTION_ERROR } from '../../parts/diagnosis/executions.ts';
import { downOr, firstLineOf, keyOrDown, n8nDown, settingsFileKey, SQLITE_STACK, startsWith } from './support.ts';

/**
 * n8n on PostgreSQL with the key it generated itself (no N8N_ENCRYPTION_KEY), as on a first
 * `docker run` without it; the database outlives the `.n8n` volume.
 */
const GENERATED_KEY_STACK: StackSpec = { name: 'secrets-postgres', database: 'postgres', generatedEncryptionKey: true, providers: ['bearer-api'] };

export const keyMismatch = defineScenario<{ originalKey: string }>({
  id: 'secrets.key-mismatch-refuses-start',
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
    const originalKey = required(await settingsFileKey(ctx), "the key in n8n's settings file");
    const other = newEncryptionKey();
    ctx.progress('recreating n8n with another N8N_ENCRYPTION_KEY over the same data');
    await ctx.stack.tryReplacePrimary({ encryptionKey: other });
    return {
      proof: [
        check(
          "the new N8N_ENCRYPTION_KEY differs from the key in n8n's settings file",
          other !== originalKey,
          `settings file ${fingerprint(originalKey)}, env ${fingerprint(other)}`,
        ),
      ],
      state: { originalKey },
    };
  },
  symptom: async (ctx) => [await keyOrDown(ctx, 'the API key after the rebuild')],
  remedies: [
    {
      name: 'set the original key as N8N_ENCRYPTION_KEY and start n8n',
      source: 'guide',
      apply: (ctx, { originalKey }) => startsWith(ctx, 'n8n starts with the original key', { encryptionKey: originalKey }),
      probe: async (ctx) => [await keyOrDown(ctx, 'the API key, n8n on its original key')],
    },
  ],
  doctor: { names: 'n8n-unreachable' },
});

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

/** The credential workflow deployed before the loss, and the key n8n had then. */
interface LostFolder {
  workflow: WebhookWorkflow;
  oldKey: string;
}

export const lostDataFolder = defineScenario<LostFolder>({
  id: 'secrets.n8n-folder-lost',
  title: 'when the .n8n folder is lost, n8n generates a new key and stored credentials fail to decrypt',
  guide: {
    section: 'D',
    claim:
      "if ~/.n8n/config disappears n8n generates a new random key; every workflow that touches a credential returns 401 or 'credentials could not be decrypted'",
    fix: 'find the old key, set it as N8N_ENCRYPTION_KEY and restart n8n',
  },
  predicts: { outcome: 'rejected', says: 'could not be decrypted' },
  stack: GENERATED_KEY_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const workflow = await deployBearerWorkflow(ctx);
    const before = await runWebhookWorkflow(ctx, workflow, 'before the loss', 'bearer-api');
    const oldKey = required(await settingsFileKey(ctx), "the key in n8n's settings file");
    ctx.progress('recreating n8n on an empty .n8n volume (the database survives)');
    const failure = await ctx.stack.tryReplacePrimary({ freshData: true });
    const credentials = (await ctx.stack.postgres?.query('SELECT count(*) FROM credentials_entity')) ?? '0';
    const generated = failure
      ? check(
          'n8n generated a new key into a new settings file',
          failure.lastLogLines.some((l) => /Auto-generating/i.test(l)),
          'its log: No encryption key found - Auto-generating and saving',
        )
      : await settingsFileKey(ctx).then((newKey) =>
          check(
            'n8n generated a new key into a new settings file',
            newKey !== '' && newKey !== oldKey,
            `before ${fingerprint(oldKey)}, after ${fingerprint(newKey)}`,
          ),
        );
    const proof = [
      check('the credential worked before the loss', executionError(before) === '', executionError(before) || 'the execution succeeded'),
      generated,
      check('the database survived with the credential in it', Number(credentials) >= 1, `${credentials} row(s) in credentials_entity`),
    ];
    return { proof, state: { workflow, oldKey } };
  },
  symptom: (ctx, state) => credentialAndKey(ctx, state, 'after the loss'),
  judge: judgeLostFolder,
  remedies: [
    {
      name: 'set the old key as N8N_ENCRYPTION_KEY and restart n8n (the regenerated settings file stays)',
      source: 'guide',
      apply: (ctx, { oldKey }) => startsWith(ctx, 'n8n starts with the old key', { encryptionKey: oldKey }),
      probe: (ctx, state) => credentialAndKey(ctx, state, 'the old key set'),
    },
    {
      name: 'set the old key as N8N_ENCRYPTION_KEY and remove the regenerated settings file (or restore the backed-up .n8n)',
      source: 'correct',
      apply: (ctx, { oldKey }) => startsWith(ctx, 'n8n starts with the old key', { encryptionKey: oldKey, freshData: true }),
      probe: (ctx, state) => credentialAndKey(ctx, state, 'the old key restored'),
    },
  ],
  doctor: { names: lostFolderNames, input: (_ctx, _phase, { oldKey }) => ({ encryptionKey: oldKey }) },
});

/**
 * A key made by the running n8n, to read executions with, once per container. (n8n mints the
 * same JWT twice within one second for one user and then refuses the second as a duplicate.)
 */
const readKeys = new WeakMap<StartedN8nContainer, string>();

async function readKeyOf(ctx: ScenarioContext): Promise<string> {
  const container = ctx.n8n.container;
  const known = readKeys.get(container);
  if (known) return known;
  const key = (await ctx.n8n.client.createApiKey({ label: `read-${randomBytes(3).toString('hex')}` })).rawApiKey;
  readKeys.set(container, key);
  return key;
}

/**
 * The API key issued before the loss and the credential workflow's run (read back by a key that
 * works on this n8n), or, while n8n does not start, what a client gets then.
 */
async function credentialAndKey(ctx: ScenarioContext, { workflow }: LostFolder, label: string): Promise<Exchange[]> {
  const failure = ctx.stack.primaryFailure;
  if (failure) return [n8nDown(ctx, `${label}: the API key issued before the loss`, failure)];
  return [
    await sendKey(ctx, `${label}: the API key issued before the loss`),
    ...(await runWebhookWorkflow(ctx, workflow, label, 'bearer-api', await readKeyOf(ctx))),
  ];
}

/**
 * The guide predicts a 401 or "could not be decrypted" from workflows: the claim holds when the
 * execution fails on its credential (either of n8n's decryption errors, or a 401 from the API).
 */
function judgeLostFolder(obs: Observation): Judgement {
  const down = obs.symptom.find((e) => e.outcome === 'not-sent');
  if (down)
    return {
      happens: 'yes',
      symptomMatches: false,
      answered: answeredBy([down]),
      reasons: [`nothing fails silently: ${down.error ?? 'n8n did not start'}`],
    };
  const error = executionError(obs.symptom);
  const failsOnCredential = DECRYPTION_ERROR.test(error) || /401/.test(error);
  return {
    happens: error ? 'yes' : 'no',
    symptomMatches: failsOnCredential,
    answered: error ? `the execution fails: ${error.slice(0, 160)}` : 'the execution succeeds',
    reasons: failsOnCredential ? [] : [`the workflow's execution did not fail on its credential: ${error || 'it succeeded'}`],
  };
}

const KEY_FILE = '/home/node/encryption-key';

/** n8n reading its encryption key from N8N_ENCRYPTION_KEY_FILE holding `content`. */
const onKeyFile = (content: string) => ({ encryptionKey: null, env: { N8N_ENCRYPTION_KEY_FILE: KEY_FILE }, files: [{ path: KEY_FILE, content }] });

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

export const keyFileNewline = defineScenario<{ key: string }>({
  id: 'secrets.key-file-newline',
  title: 'an N8N_ENCRYPTION_KEY_FILE that ends with a line break breaks the key',
  guide: { section: 'Quick fix', claim: 'values must contain no extra spaces or line-breaks', fix: 'remove the line break' },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const key = required(await settingsFileKey(ctx), "the key in n8n's settings file");
    // Control: n8n reads the file at all (else a newline could not matter): another key in it stops n8n.
    ctx.progress('control: N8N_ENCRYPTION_KEY_FILE holding another key');
    const control = await ctx.stack.tryReplacePrimary(onKeyFile(newEncryptionKey()));
    ctx.progress('N8N_ENCRYPTION_KEY_FILE written by echo (the key and a trailing newline)');
    await ctx.stack.tryStartPrimary(onKeyFile(`${key}\n`));
    const settings = ctx.stack.primaryFailure?.settings ?? ctx.n8n.container.settings;
    const file = settings.files?.find((f) => f.path === KEY_FILE)?.content ?? '';
    const mismatch = control?.lastLogLines.find((l) => /Mismatching encryption keys/.test(l));
    const proof = [
      // 1.110.1 reads N8N_ENCRYPTION_KEY only (n8n-core's InstanceSettings), so a key file cannot break anything there.
      prerequisite(
        'n8n reads N8N_ENCRYPTION_KEY_FILE: another key in it stops n8n with the mismatch error',
        mismatch !== undefined,
        mismatch?.trim().slice(0, 160) ?? (control ? firstLineOf(control) : 'n8n started with another key in the file'),
      ),
      check('the key file holds the key and a trailing newline', file === `${key}\n`, `${file.length} bytes, last byte ${JSON.stringify(file.slice(-1))}`),
      check(
        'N8N_ENCRYPTION_KEY is not set beside it',
        settings.encryptionKey === undefined && !('N8N_ENCRYPTION_KEY' in settings.env),
        'only N8N_ENCRYPTION_KEY_FILE',
      ),
    ];
    return { proof, state: { key } };
  },
  symptom: async (ctx) => [await keyOrDown(ctx, 'the API key, n8n on the key file')],
  judge: judgeBrokenByNewline,
  remedies: [
    {
      name: "write the key file without the newline (printf '%s')",
      source: 'correct',
      apply: (ctx, { key }) => startsWith(ctx, 'n8n starts on the key file', onKeyFile(key)),
      probe: async (ctx) => [await keyOrDown(ctx, 'the API key, key file without newline')],
    },
  ],
  doctor: { names: downOr('instance-secret-changed', 'healthy'), input: (_ctx, _phase, { key }) => ({ encryptionKey: key }) },
});
