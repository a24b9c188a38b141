import { fingerprint } from '../../base/secrets.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check } from '../../core/probes.ts';
import { defineScenario, required } from '../../core/define.ts';
import type { Exchange } from '../../parts/client/exchange.ts';
import type { ScenarioContext } from '../../core/types.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import { firstLineOf, n8nDown, settingsFileKey, startsWith } from '../secrets/support.ts';
import { mfaUser, SIGN_IN_BLIND, signIn, totpCode, type MfaUser, type SecondFactorAt } from './support.ts';

/** n8n on PostgreSQL (the database outlives the .n8n volume) with the key it generated into its settings file. */
const LOST_FOLDER_STACK: StackSpec = { name: 'mfa-lost-folder', database: 'postgres', generatedEncryptionKey: true };

/** The sign-in after the loss, or what a client sees when n8n did not start on the new key (2.x: its deployment keys cannot be decrypted). */
async function signInAfterLoss(ctx: ScenarioContext, label: string, user: MfaUser, factor: SecondFactorAt = {}): Promise<Exchange[]> {
  const failure = ctx.stack.primaryFailure;
  return failure ? [n8nDown(ctx, label, failure)] : signIn(ctx, label, user, factor);
}

const DISABLE_FIX = 'n8n mfa:disable --email=<the user> in the n8n container, then sign in with the password and set two-factor login up again';

/** The member with two-factor login, and the key n8n had before the loss. */
interface LostFolderState {
  user: MfaUser;
  oldKey: string;
}

export const lostFolder = defineScenario<LostFolderState>({
  id: 'mfa.n8n-folder-lost',
  title: 'when the .n8n folder is lost and the database kept, two-factor login fails for the right code',
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      "the two-factor secret and recovery codes are stored encrypted with the instance's encryption key: with the .n8n folder lost (a new key) they cannot be decrypted and the sign-in fails (perhaps a 500)",
    fix: DISABLE_FIX,
  },
  predicts: { outcome: 'other' },
  stack: LOST_FOLDER_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const user = await mfaUser(ctx, 'mfa-lost-folder');
    const before = (await signIn(ctx, 'before the loss', user, () => ({ mfaCode: totpCode(user.secret) }))).at(-1);
    const oldKey = required(await settingsFileKey(ctx), "the key in n8n's settings file");
    ctx.progress('recreating n8n on an empty .n8n volume (PostgreSQL keeps the users)');
    const failure = await ctx.stack.tryReplacePrimary({ freshData: true });
    const newKey = failure ? '' : await settingsFileKey(ctx);
    const secretRow = (await ctx.stack.postgres?.query(`SELECT count(*) FROM "user" WHERE "mfaEnabled" AND "mfaSecret" IS NOT NULL`)) ?? '0';
    const proof = [
      ...user.proof,
      check(
        'the code signed the member in before the loss',
        before?.response?.status === 200,
        `POST /rest/login -> ${before?.response?.status ?? before?.error}`,
      ),
      // n8n 2.x refuses to start on a new key over a database that holds its deployment keys
      // (secrets.n8n-folder-lost): there every sign-in fails because nothing answers.
      check(
        'n8n came back on an empty .n8n: on a new key it generated, or it refused to start on one',
        failure !== undefined || (newKey !== '' && newKey !== oldKey),
        failure ? `${firstLineOf(failure)}; it said: ${failure.said.slice(0, 200)}` : `key before ${fingerprint(oldKey)}, after ${fingerprint(newKey)}`,
      ),
      check('the database kept the encrypted two-factor secret', Number(secretRow) >= 1, `${secretRow} user(s) with mfaEnabled and an mfaSecret`),
    ];
    return { proof, state: { user, oldKey } };
  },
  symptom: (ctx, { user }) =>
    signInAfterLoss(ctx, "the password and the authenticator's current code, after the loss", user, () => ({ mfaCode: totpCode(user.secret) })),
  alongside: (ctx, { user }) =>
    signInAfterLoss(ctx, 'the password and a recovery code, after the loss', user, { mfaRecoveryCode: required(user.recoveryCodes[1], 'a recovery code') }),
  // The old key first: it must bring two-factor login back. Then the folder is lost again for the
  // guide's way out, so that mfa:disable is judged on the broken instance, not on the repaired one.
  remedies: [
    {
      name: 'set the old key as N8N_ENCRYPTION_KEY (or restore the backed-up .n8n) and start n8n: the two-factor secret decrypts again',
      source: 'correct',
      apply: (ctx, { oldKey }) => startsWith(ctx, 'n8n starts with the old key', { encryptionKey: oldKey, freshData: true }),
      probe: (ctx, { user }) =>
        signInAfterLoss(ctx, "the password and the authenticator's current code, the old key back", user, () => ({ mfaCode: totpCode(user.secret) })),
    },
    {
      name: DISABLE_FIX,
      source: 'guide',
      apply: async (ctx, { user, oldKey }) => {
        const lostAgain = await ctx.stack.tryStartPrimary({ encryptionKey: null, freshData: true });
        if (lostAgain) return [check('n8n runs on the lost folder, for n8n mfa:disable to reach its database', false, firstLineOf(lostAgain))];
        const newKey = await settingsFileKey(ctx);
        const run = await ctx.n8n.container.exec(['n8n', 'mfa:disable', `--email=${user.email}`]);
        const said = run.output.split('\n').filter((l) => /MFA|email|error/i.test(l));
        return [
          check('the .n8n folder lost again (the old key had repaired it): n8n on a new key', newKey !== oldKey, `key ${fingerprint(newKey)}`),
          check(
            'n8n mfa:disable said it disabled two-factor login for the user',
            run.exitCode === 0 && said.some((l) => /Successfully disabled MFA/.test(l)),
            `exit ${run.exitCode}: ${said.join(' | ').slice(0, 300) || run.output.slice(-300)}`,
          ),
        ];
      },
      probe: (ctx, { user }) => signInAfterLoss(ctx, 'the password alone, two-factor login disabled', user),
    },
  ],
  doctorBlind: SIGN_IN_BLIND,
});
