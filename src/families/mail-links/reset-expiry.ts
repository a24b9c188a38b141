import { decodeJwt } from 'jose';
import { defineScenario, required } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check, send } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { CLOCK_STACK, setClock } from '../clock.ts';
import { signUpMember } from '../keys/member.ts';
import { maskedLink } from './mailbox.ts';

/** How long a password-reset link lives (n8n's `generatePasswordResetToken`, both versions: '20m'). */
const LIFETIME_S = 20 * 60;
/** The wait played by n8n's clock: past the lifetime by more than setClock's tolerance. */
const LATER = { offset: '+25m', seconds: 25 * 60 } as const;

/** The member, and the token of each reset link made for it. */
interface ResetLinks {
  memberId: string;
  token: string;
  fresh?: string;
}

/**
 * A reset link for the member, as the owner copies it (Settings > Users > Copy password reset
 * link: the link n8n would mail, made the same way), its token registered as a secret.
 */
async function resetLink(ctx: ScenarioContext, memberId: string): Promise<{ token: string; proof: Check }> {
  const made = await ctx.n8n.client.call('GET', `/rest/users/${memberId}/password-reset-link`);
  const link = (made.json as { data?: { link?: string } } | undefined)?.data?.link;
  const url = new URL(maskedLink(required(link, `the reset link of GET /rest/users/<id>/password-reset-link (${made.status} ${made.text.slice(0, 80)})`)));
  const token = required(url.searchParams.get('token'), "the reset link's token");
  const { iat, exp } = decodeJwt(token);
  const life = exp !== undefined && iat !== undefined ? exp - iat : undefined;
  return {
    token,
    proof: check(
      `n8n made a password-reset link for the member that lives ${LIFETIME_S / 60} minutes`,
      made.status === 200 && life === LIFETIME_S,
      `GET /rest/users/<id>/password-reset-link -> ${made.status}: ${url.origin}${url.pathname}?token=<masked>; its exp - iat = ${life ?? 'none'} s`,
    ),
  };
}

/** What n8n's reset page asks n8n when the link opens it. */
const resolveToken = (ctx: ScenarioContext, label: string, token: string) => send(ctx, label, [], { path: `/rest/resolve-password-token?token=${token}` });

/**
 * On the clock family's stack (n8n from the libfaketime layer): the 25 minutes between the mail and
 * the click are played by n8n's clock, moved on after the link was made. It is left there (the
 * fix needs no true time): the scenario runs last on that stack, so no boot puts it back.
 */
export const resetLinkExpired = defineScenario<ResetLinks>({
  id: 'mail-links.reset-link-expired',
  refusalKeepsOut: 'whoever finds a reset link after it should have expired',
  title: 'a password-reset link opened 25 minutes after n8n made it is refused (it lives 20 minutes)',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'a password-reset link lives 20 minutes: opened later, n8n answers 404 and the reset page says the link is invalid or expired',
    fix: 'ask for a new link ("forgot password" again, or the owner copies one) and use it within 20 minutes',
  },
  predicts: { outcome: 'not-found' },
  stack: CLOCK_STACK,
  fault: async (ctx) => {
    const member = await signUpMember(ctx, 'slow-reader');
    const link = await resetLink(ctx, member.id);
    const later = await setClock(ctx, LATER.offset, LATER.seconds);
    return { proof: [member.signedUp, link.proof, later], state: { memberId: member.id, token: link.token } };
  },
  symptom: async (ctx, { token }) => [await resolveToken(ctx, `the reset link, opened ${LATER.seconds / 60} minutes after it was made`, token)],
  remedies: [
    {
      name: 'a new reset link, opened at once',
      source: 'guide',
      apply: async (ctx, state) => {
        const fresh = await resetLink(ctx, state.memberId);
        state.fresh = fresh.token;
        return [fresh.proof];
      },
      probe: async (ctx, state) => [await resolveToken(ctx, 'the new reset link, opened at once', required(state.fresh, 'the new reset link'))],
    },
  ],
  doctorBlind:
    "the expired link is the user's own request; the doctor probes n8n's answers (and here n8n's clock is moved only to play the wait, which the doctor would name)",
});
