import { record, type Exchange } from '../../parts/client/exchange.ts';
import { MAIL_ALIAS, MAIL_HTTP_PORT, type MailEvent, type ReceivedMail, type StartedMailServerContainer } from '../../parts/stack/mail-server-container.ts';
import { registerSecret } from '../../base/secrets.ts';
import { required } from '../../core/define.ts';
import type { ScenarioContext } from '../../core/types.ts';

/** The stack's SMTP server. */
export const mailOf = (ctx: ScenarioContext): StartedMailServerContainer => required(ctx.stack.services.mailServer, 'the mail server of the stack');

/** The pages of n8n a mailed link opens: the invitation's and the password reset's. */
export type LinkPage = '/signup' | '/change-password';

/** Where an exchange that reads a mailbox says it read (the mail server's list on the stack network). */
const MAILBOX_URL = `http://${MAIL_ALIAS}:${MAIL_HTTP_PORT}/messages`;

/** HTML's character references as n8n's templates write a URL (Handlebars escapes `&` and `=`): `&amp;`, `&#x3D;`, `&#61;`. */
const decodeEntities = (html: string) =>
  html
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The links of a message to one of n8n's pages, from its HTML (references decoded, as a mail client does) and its text, each once, in order. */
export function linksIn(mail: Pick<ReceivedMail, 'html' | 'text'>, page: LinkPage): string[] {
  const found = `${mail.html}\n${mail.text}`.match(/https?:\/\/[^\s"'<>[\]()]+/g) ?? [];
  return [...new Set(found.map(decodeEntities).filter((l) => URL.canParse(l) && new URL(l).pathname.endsWith(page)))].map(maskedLink);
}

/**
 * What in a link opens it for whoever holds it, registered as a secret, so that no report shows it:
 * its `token` (an invitation's on n8n 2.x, a password reset's) and, on n8n 1.x, whose invitation
 * holds no token, the `inviterId` and `inviteeId` that accepting it takes (read in 1.116.2's
 * user.service.js and invitation.controller.js). The link as it was.
 */
export function maskedLink(link: string): string {
  const params = new URL(link).searchParams;
  for (const name of ['token', 'inviterId', 'inviteeId']) {
    const value = params.get(name);
    if (value) registerSecret(value, 'secret');
  }
  return link;
}

/** The one link to `page` of the newest message to `address`; throws, naming what came, when there is none. */
export function linkOf(mail: ReceivedMail[], page: LinkPage, address: string): string {
  const link = linksIn(mail.at(-1) ?? { html: '', text: '' }, page)[0];
  return required(link, `a link to ${page} in the mail to ${address} (${mail.length} message(s): ${mail.map((m) => m.subject).join(', ') || 'none'})`);
}

/** Whether an exchange is a mailbox read (mailboxExchange). */
export const isMailbox = (e: Exchange): boolean => e.request.url.startsWith(MAILBOX_URL);

/**
 * What reached `address` since `since` (a count of its messages), read from the SMTP server's
 * received mail: accepted when a message with a link to `page` came, not sent when none did.
 */
export async function mailboxExchange(ctx: ScenarioContext, label: string, address: string, page: LinkPage, since = 0): Promise<Exchange> {
  const mail = (await mailOf(ctx).mailTo(address, since)).slice(since);
  const request = { method: 'GET', url: `${MAILBOX_URL}?to=${address}`, headers: [] };
  const linked = mail.filter((m) => linksIn(m, page).length > 0);
  if (linked.length === 0)
    return record({ label, via: 'node-fetch', request, error: `no mail with a link to ${page} reached ${address} (${mail.length} other message(s))` });
  const body = linked.map((m) => `${m.at} "${m.subject}" from ${m.from}: ${linksIn(m, page).join(' ')}`).join('\n');
  return record({ label, via: 'node-fetch', request, response: { status: 200, body } });
}

/** How many messages `address` has now: what a later mailboxExchange counts from. */
export async function mailCount(ctx: ScenarioContext, address: string): Promise<number> {
  return (await mailOf(ctx).receivedMail()).filter((m) => m.to.includes(address)).length;
}

const eventLine = (e: MailEvent) =>
  [e.at, e.kind, e.user && `user=${e.user}`, e.method, e.to && `to=${e.to.join(',')}`, e.subject && `"${e.subject}"`, e.error].filter(Boolean).join(' ');

/** The SMTP server's auth and received-mail log since `mark`, shown beside what it judged (not judged itself). */
export function serverLogExchange(ctx: ScenarioContext, label: string, mark: number): Exchange {
  const lines = mailOf(ctx).events(mark).map(eventLine);
  return record({
    label,
    via: 'node-fetch',
    request: { method: 'GET', url: `smtp://${MAIL_ALIAS}/log`, headers: [] },
    response: { status: 200, body: lines.join('\n') || '(nothing: n8n did not connect)' },
    context: true,
  });
}
