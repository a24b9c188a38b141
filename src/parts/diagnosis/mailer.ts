import { answerOf, type Exchange } from '../client/exchange.ts';
import { n8nMessage } from './n8n-answer.ts';

/** What the doctor can tell of the mail n8n sends (`--mail`): whether it can send at all, and where its links point. */
export const MAIL_FAILURE_MODES = {
  'mail-not-set-up': {
    title: 'n8n cannot send mail: no SMTP set up',
    means:
      '"forgot password" answers 500 "Email sending must be set up in order to request a password reset email": n8n has no mail server (N8N_EMAIL_MODE=smtp with N8N_SMTP_HOST, N8N_SMTP_PORT, N8N_SMTP_USER, N8N_SMTP_PASS, N8N_SMTP_SENDER). Invitations still hand the owner a link to copy; meanwhile the owner can copy a password-reset link in Settings > Users',
  },
  'mail-links-elsewhere': {
    title: 'the links n8n mails point elsewhere than where users reach it',
    means:
      "n8n builds the links in its invitations and password resets on its base URL: N8N_EDITOR_BASE_URL, else WEBHOOK_URL, else N8N_PROTOCOL://N8N_HOST:N8N_PORT (http://localhost:5678). Behind a proxy without them, the mailed link opens the reader's own machine: set N8N_EDITOR_BASE_URL to the URL users open and restart n8n",
  },
} as const;

/** An address no user has: n8n looks it up, finds nobody and mails nothing, but checks first that it could send. */
export const PROBE_ADDRESS = 'authlab-doctor-probe@invalid.example';
/** What n8n answers a reset request when it has no mail server (1.116.2 and 2.41.0, before it looks the address up). */
const NOT_SET_UP = 'Email sending must be set up';

/** What one mail probe says: a finding's evidence, or a note, or why it could not tell. */
export interface MailReading {
  trap: boolean;
  line: string;
  unchecked?: true;
}

/** n8n's answer to "forgot password" for PROBE_ADDRESS. */
export function mailerReading(answer: Exchange): MailReading {
  const said = `POST /rest/forgot-password for an address no user has: ${answerOf(answer, 120)}`;
  if (answer.response?.status === 500 && (n8nMessage(answer) ?? answer.response.body).includes(NOT_SET_UP)) return { trap: true, line: said };
  if (answer.outcome === 'accepted')
    return {
      trap: false,
      line: `n8n's mailer is set up (${said}); whether its SMTP server takes n8n's login shows only when it mails a real user, and n8n 2.x answers 200 even when the send fails`,
    };
  if (answer.response?.status === 429) return { trap: false, unchecked: true, line: `n8n's mailer: ${said} (its rate limit: ask again in a minute)` };
  return { trap: false, unchecked: true, line: `n8n's mailer: ${said}` };
}

/**
 * The base URL n8n builds mailed links on, from its public settings (GET /rest/settings, no
 * sign-in): n8n 1.x names it (`urlBaseEditor`); n8n 2.x only inside its OIDC login URL
 * (`sso.oidc.loginUrl`, `<base>/rest/sso/oidc/login`). Undefined when the answer says neither.
 */
export function mailedLinkBase(settings: Exchange): string | undefined {
  try {
    const data = (JSON.parse(settings.response?.body ?? '') as { data?: { urlBaseEditor?: unknown; sso?: { oidc?: { loginUrl?: unknown } } } }).data;
    if (typeof data?.urlBaseEditor === 'string' && data.urlBaseEditor) return new URL(data.urlBaseEditor).origin;
    const login = data?.sso?.oidc?.loginUrl;
    if (typeof login === 'string' && /\/sso\/oidc\/login$/.test(login)) return new URL(login).origin;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Where the mailed links point against where users reach n8n (the proxy's URL): a finding when the origins differ. */
export function mailedLinksReading(settings: Exchange, proxyUrl: string | undefined): MailReading {
  const base = mailedLinkBase(settings);
  if (!base)
    return {
      trap: false,
      unchecked: true,
      line: `the links n8n mails: its public settings do not name its base URL (GET /rest/settings: ${answerOf(settings, 80)})`,
    };
  if (!proxyUrl) return { trap: false, line: `n8n builds the links it mails on ${base} (give --proxy-url, the URL users open, to compare)` };
  const users = new URL(proxyUrl).origin;
  if (base === users) return { trap: false, line: `n8n builds the links it mails on ${base}, where users reach it` };
  return { trap: true, line: `n8n builds the links it mails on ${base} (its public settings), and users reach it at ${users}: a mailed link opens ${base}` };
}
