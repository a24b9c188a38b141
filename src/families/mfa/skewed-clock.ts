import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { defineScenario } from '../../core/define.ts';
import { CLOCK_STACK, setClock } from '../clock.ts';
import { mfaUser, SIGN_IN_BLIND, signIn, totpCode, type MfaUser } from './support.ts';

/** How far n8n's clock runs ahead: more than the 2 steps of 30 s either side n8n accepts. */
const AHEAD = { offset: '+5m', seconds: 300 } as const;

/**
 * On the clock family's stack (n8n from the libfaketime layer): one stack for every skewed clock,
 * and this scenario puts n8n back on true time itself, so no restore follows it.
 */
export const skewedClock = defineScenario<MfaUser>({
  id: 'mfa.server-clock-skewed',
  title: 'an n8n whose clock runs 5 minutes ahead refuses every right two-factor code',
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      'n8n checks the code against its own clock, about a minute either side: a server clock off by more refuses every right code with 401 "Invalid mfa token or recovery code"',
    fix: 'set the server clock right (NTP) and restart n8n',
  },
  predicts: { outcome: 'rejected', says: 'Invalid mfa token or recovery code' },
  stack: CLOCK_STACK,
  fault: async (ctx) => {
    const user = await mfaUser(ctx, 'mfa-clock');
    const ahead = await setClock(ctx, AHEAD.offset, AHEAD.seconds);
    return { proof: [...user.proof, ahead], state: user };
  },
  symptom: (ctx, user) => signIn(ctx, "the authenticator's current code (a phone on true time)", user, () => ({ mfaCode: totpCode(user.secret) })),
  alongside: (ctx, user) =>
    signIn(ctx, `the code the authenticator would show ${AHEAD.seconds / 60} minutes from now (n8n's clock)`, user, () => ({
      mfaCode: totpCode(user.secret, Date.now() + AHEAD.seconds * 1000),
    })),
  remedies: [
    {
      name: 'set the server clock right (NTP) and restart n8n',
      source: 'guide',
      apply: async (ctx) => [await setClock(ctx, null, 0)],
      probe: (ctx, user) => signIn(ctx, "the authenticator's current code, n8n back on true time", user, () => ({ mfaCode: totpCode(user.secret) })),
    },
  ],
  doctorBlind: SIGN_IN_BLIND,
});
