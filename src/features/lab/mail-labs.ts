import { inviteAgain, type MailedLinks } from '../../families/mail-links/invite-links.ts';
import type { Entry, HintNames } from './lab-def.ts';
import { mailedLinkCommand } from './mailed-link.ts';

/**
 * The lab of the mail-links family: the invitation n8n mails behind NGINX. The learner reads the
 * newest mail on the invitee's machine and opens its link there; `--apply` and `--check` have the
 * owner invite another member first, so that the link judged is one n8n mails as it runs now.
 */

const MAIL_NO_EXPORT =
  "the symptom is a mail n8n sends and its link opened from the invitee's machine: an export would need this project's SMTP server image and a second machine on its network, and its check (a new invitation's link) is not written yet";

/** NGINX's name on the stack network (the public URL's host) and its port on this machine, as the doctor's --connect-to takes them. */
const connectTo = (s: HintNames) => {
  const url = (u: string | undefined) => (u && URL.canParse(u) ? new URL(u) : undefined);
  const published = url(s.proxyUrl);
  return `${url(s.mail?.publicUrl)?.hostname ?? '<public host>'}:80:${published?.hostname ?? '<NGINX host>'}:${published?.port ?? '<NGINX port>'}`;
};

const publicUrlOf = (s: HintNames) => s.mail?.publicUrl ?? '<public URL>';

export const MAIL_LABS: Record<string, Entry> = {
  'mail-links.invite-link-localhost': (s) => ({
    ...s,
    lab: {
      kind: 'env',
      symptom: { mailedLink: '/signup' },
      renew: { what: 'the owner invites another member', run: async (ctx, broken) => [await inviteAgain(ctx, broken.state as MailedLinks, 'invitee-lab')] },
      hintWhere: (st) =>
        `Read the invitation as the invitee got it (${mailedLinkCommand(st.mail)}): where does its link point, and what answers there on the invitee's machine? The invitee reaches n8n at ${publicUrlOf(st)}, through NGINX; the link in the mail is n8n's own writing, not NGINX's. Where does n8n take the address it writes into its mails from?`,
      hintDoctor: (st) =>
        `Ask the doctor where the links n8n mails point, against the URL the invitee opens (NGINX by its name on the stack network, reached here at its published port): authlab doctor --url ${st.n8nUrl} --proxy-url ${publicUrlOf(st).replace(/\/$/, '')} --connect-to ${connectTo(st)} --mail`,
      composeRefused: MAIL_NO_EXPORT,
    },
  }),
};
