import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check } from '../../core/probes.ts';
import { defineScenario, required } from '../../core/define.ts';
import { DEFAULT_STACK } from '../stacks.ts';
import { mfaUser, mfaUserFault, SIGN_IN_BLIND, signIn, totpCode, wrongCode, type MfaUser } from './support.ts';

const CODE_FIX = 'enter the current 6-digit code from the authenticator app';

export const withoutCode = defineScenario<MfaUser>({
  id: 'mfa.login-without-code',
  refusalKeepsOut: 'whoever has the password alone',
  title: 'a user with two-factor login who signs in with the password alone is refused 401 "MFA Error"',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'with two-factor login on, the password alone is not enough: n8n answers 401 "MFA Error" (code 998) and asks for the code',
    fix: CODE_FIX,
  },
  predicts: { outcome: 'rejected', says: 'MFA Error' },
  stack: DEFAULT_STACK,
  fault: mfaUserFault('mfa-no-code'),
  symptom: (ctx, user) => signIn(ctx, 'the right password, no code', user),
  remedies: [
    {
      name: CODE_FIX,
      source: 'guide',
      probe: (ctx, user) => signIn(ctx, 'the password and the current code', user, () => ({ mfaCode: totpCode(user.secret) })),
    },
    {
      name: 'the authenticator lost: a recovery code instead of the code',
      source: 'tried',
      probe: (ctx, user) =>
        signIn(ctx, 'the password and one of the recovery codes', user, { mfaRecoveryCode: required(user.recoveryCodes[0], 'a recovery code') }),
    },
  ],
  doctorBlind: SIGN_IN_BLIND,
});

export const wrongCodeRefused = defineScenario<MfaUser>({
  id: 'mfa.wrong-code',
  refusalKeepsOut: 'whoever has the password and a wrong code',
  title: 'a wrong two-factor code is refused 401 "Invalid mfa token or recovery code"',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'a code that is not the authenticator\'s current one is refused with 401 "Invalid mfa token or recovery code"',
    fix: CODE_FIX,
  },
  predicts: { outcome: 'rejected', says: 'Invalid mfa token or recovery code' },
  stack: DEFAULT_STACK,
  fault: mfaUserFault('mfa-wrong-code'),
  symptom: (ctx, user) => signIn(ctx, 'the right password, a wrong code', user, () => ({ mfaCode: wrongCode(user.secret) })),
  remedies: [
    {
      name: CODE_FIX,
      source: 'guide',
      probe: (ctx, user) => signIn(ctx, 'the right password, the current code', user, () => ({ mfaCode: totpCode(user.secret) })),
    },
  ],
  doctorBlind: SIGN_IN_BLIND,
});

export const recoveryCodeReused = defineScenario<MfaUser>({
  id: 'mfa.recovery-code-used-twice',
  refusalKeepsOut: 'whoever replays a used recovery code',
  title: 'a recovery code lets a user in once; used again it is refused 401 "Invalid mfa token or recovery code"',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'each of the ten recovery codes works once: used again it is refused like a wrong code',
    fix: "use another of the recovery codes (or the authenticator's code)",
  },
  predicts: { outcome: 'rejected', says: 'Invalid mfa token or recovery code' },
  stack: DEFAULT_STACK,
  fault: async (ctx) => {
    const user = await mfaUser(ctx, 'mfa-recovery');
    const used = await signIn(ctx, 'the first recovery code, first use', user, { mfaRecoveryCode: required(user.recoveryCodes[0], 'a recovery code') });
    const answer = used.at(-1);
    const proof = [
      ...user.proof,
      check(
        'the recovery code let the member in once',
        answer?.response?.status === 200,
        `POST /rest/login with it -> ${answer?.response?.status ?? answer?.error}`,
      ),
    ];
    return { proof, state: user };
  },
  symptom: (ctx, user) => signIn(ctx, 'the same recovery code again', user, { mfaRecoveryCode: required(user.recoveryCodes[0], 'a recovery code') }),
  remedies: [
    {
      name: 'use another of the recovery codes',
      source: 'guide',
      probe: (ctx, user) => signIn(ctx, 'the second recovery code', user, { mfaRecoveryCode: required(user.recoveryCodes[1], 'a second recovery code') }),
    },
  ],
  doctorBlind: SIGN_IN_BLIND,
});
