import { randomBytes } from 'node:crypto';
import { judgedOf, type Exchange } from '../../parts/client/exchange.ts';
import { MAIL_ALIAS, MAIL_USER, SMTP_ENV_NAMES, smtpEnv } from '../../parts/stack/mail-server-container.ts';
import { registerSecret } from '../../base/secrets.ts';
import { defineScenario } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { answeredBy } from '../../core/judgement.ts';
import type { Check, Judgement, Observation, Remedy, ScenarioContext } from '../../core/types.ts';
import { signUpMember } from '../keys/member.ts';
import { isMailbox, mailboxExchange, mailCount, mailOf, serverLogExchange } from './mailbox.ts';
import { forgotPassword, mailedMember, restartN8n } from './requests.ts';
import { MAIL_STACK } from './stack.ts';

/** The member who forgot its password. */
interface Forgetful {
  email: string;
}

/**
 * "Forgot password" for the member, then what reached its mailbox (judged: the reset mail, with its
 * link) and the SMTP server's log while n8n sent (shown beside).
 */
async function askForReset(ctx: ScenarioContext, when: string, email: string): Promise<Exchange[]> {
  const mark = mailOf(ctx).logLines.mark();
  const before = await mailCount(ctx, email);
  const asked = await forgotPassword(ctx, `${when}: "forgot password" for the member, through NGINX`, email);
  const mailbox = await mailboxExchange(
    ctx,
    `${when}: the reset mail in the member's mailbox (the SMTP server's received mail)`,
    email,
    '/change-password',
    before,
  );
  return [...asked, mailbox, serverLogExchange(ctx, `${when}: the SMTP server's auth and received-mail log while n8n sent`, mark)];
}

/** n8n restarted mailing through the stack's SMTP server with the login it takes: the env n8n booted with. */
const mailSetUp = (ctx: ScenarioContext, why: string): Promise<Check[]> =>
  restartN8n(ctx, why, { env: mailOf(ctx).n8nEnv() }, { N8N_EMAIL_MODE: 'smtp', N8N_SMTP_HOST: MAIL_ALIAS, N8N_SMTP_USER: MAIL_USER });

/** The remedy both scenarios end on: n8n back on the right SMTP set-up (the boot's), asked again. */
function mailFixed(name: string): Remedy<Forgetful> {
  return {
    name,
    source: 'guide',
    apply: (ctx) => mailSetUp(ctx, 'SMTP set up with the login the server takes'),
    probe: (ctx, { email }) => askForReset(ctx, 'fixed', email),
  };
}

export const forgotWithoutSmtp = defineScenario<Forgetful>({
  id: 'mail-links.forgot-password-without-smtp',
  title: '"forgot password" on an n8n with no mail server set up is refused 500 "Email sending must be set up"',
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      'without SMTP an invitation hands the owner a link to copy, but "forgot password" (POST /rest/forgot-password) answers 500 "Email sending must be set up in order to request a password reset email"',
    fix: 'set up SMTP (N8N_EMAIL_MODE=smtp, N8N_SMTP_HOST, N8N_SMTP_PORT, N8N_SMTP_USER, N8N_SMTP_PASS, N8N_SMTP_SENDER) and restart n8n',
  },
  predicts: { outcome: 'other', says: 'Email sending must be set up' },
  stack: MAIL_STACK,
  fault: async (ctx) => {
    const env = await restartN8n(ctx, 'without SMTP', { unset: SMTP_ENV_NAMES }, { N8N_EMAIL_MODE: null, N8N_SMTP_HOST: null });
    // No mail server: n8n hands the invitation's link back to the owner, who passes it on.
    const member = await signUpMember(ctx, 'forgetful');
    return { proof: [...env, member.signedUp], state: { email: member.email } };
  },
  symptom: (ctx, { email }) => forgotPassword(ctx, 'broken: "forgot password" for the member, through NGINX', email),
  remedies: [mailFixed('set up SMTP (N8N_EMAIL_MODE=smtp and N8N_SMTP_*, the mail server and the login it takes) and restart n8n')],
  doctor: { names: 'mail-not-set-up', input: () => ({ mail: true }) },
});

/**
 * The failure is the mail that never comes; what n8n answers the request is the other half of the
 * claim (200, as if it was sent). Judged on the mailbox and the answer together.
 */
function judgeNoMail(obs: Observation): Judgement {
  const judged = judgedOf(obs.symptom);
  const mailbox = judged.find(isMailbox);
  const asked = judged.filter((e) => !isMailbox(e));
  const arrived = mailbox?.outcome === 'accepted';
  const log = obs.symptom.find((e) => e.request.url.startsWith('smtp://'))?.response?.body ?? '';
  const refused = /auth\.refused/.test(log) ? "; the SMTP server's log shows n8n's login refused" : '';
  const answer = asked.length ? answeredBy(asked) : 'nothing asked';
  const reasons = asked.filter((e) => e.outcome !== 'accepted').map((e) => `${e.label}: the claim says 200, n8n answered ${answeredBy([e])}`);
  if (arrived) reasons.push(`the reset mail arrived: ${mailbox?.response?.body.split('\n')[0] ?? ''}`);
  return {
    happens: arrived ? 'no' : 'yes',
    symptomMatches: !arrived && asked.length > 0 && asked.every((e) => e.outcome === 'accepted'),
    answered: `${answer} to "forgot password"; ${arrived ? 'the reset mail arrives' : 'no reset mail arrives'}${refused}`,
    reasons,
  };
}

export const smtpLoginRefused = defineScenario<Forgetful>({
  id: 'mail-links.smtp-login-refused',
  title: 'with an SMTP server that refuses n8n\'s login, "forgot password" answers 200 and the reset mail never arrives',
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      'users: "forgot password says the mail is on its way, and nothing ever comes": the SMTP server refuses n8n\'s login (a wrong N8N_SMTP_PASS), n8n answers 200 anyway and nothing is sent',
    fix: 'set N8N_SMTP_USER and N8N_SMTP_PASS to the login the SMTP server takes and restart n8n',
  },
  predicts: { outcome: 'not-sent' },
  judge: judgeNoMail,
  stack: MAIL_STACK,
  fault: async (ctx) => {
    const member = await mailedMember(ctx, 'locked-out');
    const wrong = registerSecret(`old-${randomBytes(9).toString('hex')}`, 'password');
    const env = await restartN8n(ctx, 'an SMTP password the server does not take', { env: smtpEnv(wrong) }, { N8N_SMTP_USER: MAIL_USER, N8N_SMTP_PASS: wrong });
    return { proof: [...member.proof, ...env], state: { email: member.email } };
  },
  symptom: (ctx, { email }) => askForReset(ctx, 'broken', email),
  remedies: [mailFixed('set N8N_SMTP_PASS to the password the SMTP server takes for N8N_SMTP_USER and restart n8n')],
  doctorBlind:
    'n8n tries its SMTP login only when it mails a real user; the doctor asks for the reset of an address no user has (it must mail nobody), which n8n answers 200 with nothing to send',
});
