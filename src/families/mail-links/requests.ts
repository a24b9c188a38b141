import { randomBytes } from 'node:crypto';
import type { Exchange } from '../../parts/client/exchange.ts';
import { N8nClient, N8nRequestError, type Answer } from '../../parts/client/n8n-client.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { registerSecret } from '../../base/secrets.ts';
import { check, n8nEnv, withN8nLog } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import type { N8nReplacement } from '../../parts/stack/n8n-container.ts';
import type { ReceivedMail } from '../../parts/stack/mail-server-container.ts';
import { nginxOf } from '../browser/support.ts';
import { acceptInvitation } from '../keys/member.ts';
import { TOO_MANY, waitOutRateLimit } from '../mfa/support.ts';
import { linkOf, mailOf } from './mailbox.ts';

/** An invitation the owner sent by mail: the invitee, n8n's answer, and the link as the SMTP server received it. */
export interface Invitation {
  id: string;
  email: string;
  /** `emailSent` in n8n's answer. */
  emailSent: boolean;
  mail: ReceivedMail[];
  link: string;
}

/** An address of its own per call (n8n refuses to invite an address twice, and rate-limits per address). */
export const addressFor = (name: string): string => `${name}-${Date.now().toString(36)}@authlab.test`;

/** The owner invites a member (Settings > Users > Invite); n8n mails the invitation: its link read from the message received. */
export async function inviteByMail(ctx: ScenarioContext, name: string): Promise<Invitation> {
  const email = addressFor(name);
  const invited = await ctx.n8n.client.call('POST', '/rest/invitations', { body: [{ email, role: 'global:member' }] });
  const user = (invited.json as { data?: Array<{ user?: { id?: string; emailSent?: boolean } }> } | undefined)?.data?.[0]?.user;
  if (invited.status !== 200 || !user?.id) throw new N8nRequestError(`inviting ${email}`, invited);
  const mail = await mailOf(ctx).mailTo(email);
  return { id: user.id, email, emailSent: user.emailSent === true, mail, link: linkOf(mail, '/signup', email) };
}

/** The invitation went out by mail: n8n said so, and the SMTP server received it. */
export function mailedProof(inv: Invitation): Check {
  return check(
    'the owner invited a member and n8n mailed the invitation through the SMTP server',
    inv.emailSent && inv.mail.length > 0,
    `POST /rest/invitations: emailSent ${inv.emailSent}; the SMTP server received ${inv.mail.length} message(s) for the invitee: ${inv.mail.map((m) => `"${m.subject}"`).join(', ')}`,
  );
}

/** A member who signed up from the mailed invitation: its id, address and password. */
export interface MailedMember {
  id: string;
  email: string;
  password: string;
  proof: Check[];
}

/** A member invited by mail who accepts the mailed link (the token, or on 1.x the inviter and invitee ids, are all n8n reads of it). */
export async function mailedMember(ctx: ScenarioContext, name: string): Promise<MailedMember> {
  const inv = await inviteByMail(ctx, name);
  const password = registerSecret(`Member-${randomBytes(9).toString('base64url')}7Q`, 'password');
  const accepted: Answer = await acceptInvitation(new N8nClient(ctx.n8n.client.baseUrl), new URL(inv.link), {
    firstName: 'Mail',
    lastName: 'Member',
    password,
  });
  if (accepted.status !== 200) throw new N8nRequestError(`accepting the mailed invitation of ${inv.email}`, accepted);
  const signedUp = check('the member signed up from the mailed link', true, `accepting it -> ${accepted.status}`);
  return { id: inv.id, email: inv.email, password, proof: [mailedProof(inv), signedUp] };
}

/** n8n's public URL as NGINX publishes it on this machine. */
const publicUrl = (ctx: ScenarioContext) => nginxOf(ctx).getBaseUrl().replace(/\/$/, '');

/**
 * "Forgot my password" as the sign-in page sends it, through NGINX (n8n's public URL), with n8n's
 * log. n8n 1.x lets one address ask 3 times a minute: a 429 is kept as context and the request sent
 * again once the window passed, so that the answer judged is about the mail, not the limit.
 */
export async function forgotPassword(ctx: ScenarioContext, label: string, email: string): Promise<Exchange[]> {
  const ask = (what: string) => withN8nLog(ctx, () => rawRequest({ label: what, url: `${publicUrl(ctx)}/rest/forgot-password`, headers: [], json: { email } }));
  const first = await ask(label);
  if (first.response?.status !== TOO_MANY) return [first];
  await waitOutRateLimit(ctx, '/rest/forgot-password');
  return [{ ...first, context: true }, await ask(`${label} (again, after n8n's rate limit)`)];
}

/** n8n replaced over its data with other env, and each variable named proven as it now runs (null: unset). */
export async function restartN8n(ctx: ScenarioContext, why: string, change: N8nReplacement, expect: Record<string, string | null>): Promise<Check[]> {
  ctx.progress(`restarting n8n: ${why}`);
  await ctx.stack.replacePrimary(change);
  return envProof(ctx, expect);
}

/** Each variable as n8n's container has it (null: unset), proven by printenv. */
export async function envProof(ctx: ScenarioContext, expect: Record<string, string | null>): Promise<Check[]> {
  const checks: Check[] = [];
  for (const [name, value] of Object.entries(expect)) {
    const seen = await n8nEnv(ctx, name);
    checks.push(
      check(value === null ? `n8n runs without ${name}` : `n8n runs with ${name}=${value}`, seen === (value ?? ''), `printenv ${name} -> ${seen || '(unset)'}`),
    );
  }
  return checks;
}
