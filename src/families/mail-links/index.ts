import { defineFamily } from '../../core/family.ts';
import { forgotWithoutSmtp, smtpLoginRefused } from './forgot-password.ts';
import { inviteLinkLocalhost, inviteLinkMangled } from './invite-links.ts';
import { resetLinkExpired } from './reset-expiry.ts';

/**
 * The links n8n mails (an invitation, a password reset) against a real SMTP server: where they
 * point behind a proxy, a mail server missing or refusing n8n's login, a link cut or too old.
 */
export const mailLinksFamily = defineFamily('mail-links', 'Invitation and password-reset links: the mail n8n sends, and the links in it', [
  inviteLinkLocalhost,
  inviteLinkMangled,
  forgotWithoutSmtp,
  smtpLoginRefused,
  resetLinkExpired,
]);
