import { randomBytes } from 'node:crypto';
import { registerSecret } from '../../base/secrets.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check } from '../../core/probes.ts';
import { defineScenario, required } from '../../core/define.ts';
import { DEFAULT_STACK } from '../stacks.ts';
import { mfaUser, SIGN_IN_BLIND, signInRequest, totpCode, wrongCode, type MfaUser } from './support.ts';

/** The member, the token of the reset link the owner made for it, and the password it sets. */
interface ResetLink {
  user: MfaUser;
  token: string;
  newPassword: string;
}

const changePassword = (link: ResetLink, mfaCode?: string) => ({ token: link.token, password: link.newPassword, ...(mfaCode ? { mfaCode } : {}) });

export const resetWithoutCode = defineScenario<ResetLink>({
  id: 'mfa.password-reset-without-code',
  refusalKeepsOut: "whoever reads the user's mail, without the second factor",
  title: 'a password reset for a user with two-factor login is refused 400 without the code',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'a reset link does not get around two-factor login: setting the new password needs the code (400 "If MFA enabled, mfaCode is required.")',
    fix: "enter the authenticator's code on the reset page with the new password",
  },
  predicts: { outcome: 'bad-request', says: 'If MFA enabled, mfaCode is required.' },
  stack: DEFAULT_STACK,
  fault: async (ctx) => {
    const user = await mfaUser(ctx, 'mfa-reset');
    // Without a mail server n8n cannot mail a reset link; the owner copies one for a user (Settings > Users).
    const made = await ctx.n8n.client.call('GET', `/rest/users/${user.id}/password-reset-link`);
    const link = (made.json as { data?: { link?: string } } | undefined)?.data?.link;
    const url = new URL(required(link, `the reset link of GET /rest/users/<id>/password-reset-link (${made.status} ${made.text.slice(0, 80)})`));
    const token = registerSecret(required(url.searchParams.get('token'), "the reset link's token"));
    const proof = [
      ...user.proof,
      check(
        'the owner made a password-reset link for the member, and n8n marked it as one for a two-factor user',
        made.status === 200 && url.searchParams.get('mfaEnabled') === 'true',
        `GET /rest/users/<id>/password-reset-link -> ${made.status}: ${url.origin}${url.pathname}?token=<masked>&mfaEnabled=${url.searchParams.get('mfaEnabled')}`,
      ),
    ];
    const newPassword = registerSecret(`Reset-${randomBytes(9).toString('base64url')}7Q`, 'password');
    return { proof, state: { user, token, newPassword } };
  },
  symptom: (ctx, link) => signInRequest(ctx, 'the new password from the reset link, no code', '/rest/change-password', () => changePassword(link)),
  remedies: [
    // Tried first: a refused change leaves the link valid (its token is bound to the old password).
    {
      name: 'a wrong code with the new password',
      source: 'tried',
      probe: (ctx, link) =>
        signInRequest(ctx, 'the new password and a wrong code', '/rest/change-password', () => changePassword(link, wrongCode(link.user.secret))),
    },
    {
      name: "enter the authenticator's code on the reset page with the new password",
      source: 'guide',
      probe: (ctx, link) =>
        signInRequest(ctx, 'the new password and the current code', '/rest/change-password', () => changePassword(link, totpCode(link.user.secret))),
    },
  ],
  doctorBlind: SIGN_IN_BLIND,
});
