import type { Exchange } from '../../parts/client/exchange.ts';
import { fetchFrom } from '../../parts/client/container-fetch.ts';
import { defineScenario, required } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check, n8nEnv, send } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { mailOf } from './mailbox.ts';
import { envProof, type Invitation, inviteByMail, mailedProof, restartN8n } from './requests.ts';
import { BASE_URL_ENV, MAIL_STACK, PUBLIC_URL, publicRoute } from './stack.ts';

/** Why the doctor cannot see a link's fault: it lives in the mail and the invitee's request, not in any answer n8n gives a probe. */
const LINK_BLIND = "the link is in the mail and in the invitee's own request; the doctor probes n8n's answers, not a mailbox";

/** What n8n's signup page asks n8n when a link opens it: GET /rest/resolve-signup-token with the link's query. */
const resolvePath = (link: string) => `/rest/resolve-signup-token${new URL(link).search}`;

/** The invitee opens a link from another machine on the network (the mail server's container: not n8n's, not NGINX's). */
const openFrom = (ctx: ScenarioContext, label: string, url: string): Promise<Exchange> => fetchFrom(mailOf(ctx), label, url);

/** The invitation the fault mailed, and the one mailed after a fix (whose link the fix's probes open). */
export interface MailedLinks {
  invitation: Invitation;
  fixed?: Invitation;
}

const UNSET = Object.fromEntries(BASE_URL_ENV.map((name) => [name, null]));

/**
 * n8n without a base URL: proven where the stack booted so (the catalogue's case), else n8n restarted
 * with them unset first (a lab's reset, after the learner set one).
 */
async function withoutBaseUrl(ctx: ScenarioContext): Promise<Check[]> {
  const set = [];
  for (const name of BASE_URL_ENV) if (await n8nEnv(ctx, name)) set.push(name);
  return set.length ? restartN8n(ctx, `${set.join(', ')} unset`, { unset: BASE_URL_ENV }, UNSET) : envProof(ctx, UNSET);
}

/** The owner invites another member, as n8n now runs: the invitation the fix's probes open the link of. */
export async function inviteAgain(ctx: ScenarioContext, state: MailedLinks, name: string): Promise<Check> {
  state.fixed = await inviteByMail(ctx, name);
  return mailedProof(state.fixed);
}

export const inviteLinkLocalhost = defineScenario<MailedLinks>({
  id: 'mail-links.invite-link-localhost',
  title: 'behind NGINX without N8N_EDITOR_BASE_URL, the invitation n8n mails links to http://localhost:5678, which the invitee cannot open',
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      'users: "the invitation mail links to localhost": n8n builds the links it mails from N8N_EDITOR_BASE_URL, else WEBHOOK_URL, else N8N_PROTOCOL://N8N_HOST:N8N_PORT (http://localhost:5678)',
    fix: "set N8N_EDITOR_BASE_URL to n8n's public URL and restart n8n",
  },
  predicts: { outcome: 'not-sent' },
  stack: MAIL_STACK,
  fault: async (ctx) => {
    const unset = await withoutBaseUrl(ctx);
    const invitation = await inviteByMail(ctx, 'invitee');
    return { proof: [...unset, mailedProof(invitation)], state: { invitation } };
  },
  symptom: async (ctx, { invitation }) => [
    await openFrom(ctx, `the invitee opens the mailed link (${new URL(invitation.link).origin}/signup?...) from its own machine`, invitation.link),
  ],
  remedies: [
    {
      name: `set N8N_EDITOR_BASE_URL to n8n's public URL (${PUBLIC_URL}/, NGINX) and restart n8n; the owner invites again`,
      source: 'guide',
      apply: async (ctx, state) => {
        const env = await restartN8n(
          ctx,
          'N8N_EDITOR_BASE_URL set',
          { env: { N8N_EDITOR_BASE_URL: `${PUBLIC_URL}/` } },
          { N8N_EDITOR_BASE_URL: `${PUBLIC_URL}/` },
        );
        return [...env, await inviteAgain(ctx, state, 'invitee-again')];
      },
      probe: async (ctx, state) => {
        const link = required(state.fixed, 'the invitation mailed after the fix').link;
        const page = await openFrom(ctx, `the invitee opens the new mailed link (${new URL(link).origin}/signup?...)`, link);
        const resolved = await openFrom(
          ctx,
          "the signup page's check of the link, through the link's own origin",
          `${new URL(link).origin}${resolvePath(link)}`,
        );
        return [{ ...page, context: true as const }, resolved];
      },
      verify: (_exchanges, state) => {
        const origin = new URL(required(state.fixed, 'the invitation mailed after the fix').link).origin;
        return [check("the new mailed link points at n8n's public URL", origin === new URL(PUBLIC_URL).origin, `its origin: ${origin}`)];
      },
    },
  ],
  doctor: { names: 'mail-links-elsewhere', input: (ctx) => ({ mail: true, ...publicRoute(ctx) }) },
});

/** Where a plain-text mail client wraps a long line: what stays clickable of a link on its first line. */
const WRAP_AT = 76;

export const inviteLinkMangled = defineScenario<{ invitation: Invitation; cut: string }>({
  id: 'mail-links.invite-link-mangled',
  title: 'an invitation link cut where a mail client wrapped it is refused 400 "Invalid invite URL"',
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      'an invitation link that reaches n8n cut or altered (a mail client wrapping the long line, a copy that missed its end) answers 400 "Invalid invite URL"',
    fix: 'open the whole link as mailed (or have the owner copy the invite link from Settings > Users)',
  },
  predicts: { outcome: 'bad-request', says: 'Invalid invite URL' },
  stack: MAIL_STACK,
  fault: async (ctx) => {
    const invitation = await inviteByMail(ctx, 'invitee-wrapped');
    const cut = invitation.link.slice(0, WRAP_AT);
    const proof = check(
      `the link as a client wrapping lines at ${WRAP_AT} characters leaves it clickable: its first line`,
      cut.length < invitation.link.length,
      `the mailed link has ${invitation.link.length} characters; the first ${WRAP_AT} end "...${cut.slice(-12)}"`,
    );
    return { proof: [mailedProof(invitation), proof], state: { invitation, cut } };
  },
  symptom: async (ctx, { cut }) => [await send(ctx, "the signup page's check of the cut link", [], { path: resolvePath(cut) })],
  remedies: [
    {
      name: 'open the whole link as mailed',
      source: 'guide',
      probe: async (ctx, { invitation }) => [await send(ctx, "the signup page's check of the whole link", [], { path: resolvePath(invitation.link) })],
    },
  ],
  doctorBlind: LINK_BLIND,
});
