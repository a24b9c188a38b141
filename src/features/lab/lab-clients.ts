import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registerSecret } from '../../base/secrets.ts';
import type { BrokenScenario, ScenarioContext } from '../../core/types.ts';
import { waitForWebhook, type WebhookWorkflow } from '../../core/workflows.ts';
import type { TriggerState } from '../../families/forms/factory.ts';
import { type MfaUser, signIn, totpCode, wrongCode } from '../../families/mfa/support.ts';
import { describeExchange, judgedOf } from '../../parts/client/exchange.ts';
import type { Lab } from './lab-catalogue.ts';
import { labDir, type LabState } from './lab-state.ts';
import { type MailFiles, writeMailFiles } from './mailed-link.ts';

/**
 * What a lab hands the learner where its symptom is a client of the stack other than the API's:
 * a webhook's caller on the stack network (the allowlist labs), a form or chat visitor (its
 * Authorization in a file), a member signing in with a two-factor code (the authenticator's code,
 * renewed as an app shows it, and the code the sign-in sends), an invitee reading its mail (mailed-link.ts).
 */

export type ClientFiles = Pick<LabState, 'clientContainer' | 'forwardedFor' | 'doctorWebhookUrl' | 'member' | 'tokenFile' | 'workflowUrl'> & MailFiles;

/** The visitor's Authorization header value, as `$(cat <file>)` sends it. */
export const VISITOR_FILE = 'visitor-authorization';
const AUTHENTICATOR_FILE = 'authenticator-code';
/** The code the member types at sign-in. */
export const TYPED_FILE = 'mfa-code';
/** How often the authenticator's file is written again: an app shows a new code every 30 s. */
const RENEW_MS = 5_000;

const write = async (id: string, name: string, value: string): Promise<string> => {
  const file = join(labDir(id), name);
  await writeFile(file, value, { mode: 0o600 });
  return file;
};

/** As `$(cat file)` reads a file: trailing newlines dropped. */
const readAsShell = async (file: string): Promise<string> => (await readFile(file, 'utf8')).replace(/[\r\n]+$/, '');

/** The member's authenticator: the current code of its secret in a file, renewed until the lab stops (one lab per process). */
class Authenticator {
  private timer: NodeJS.Timeout | undefined;

  async follow(secret: string, file: string): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const show = () => writeFile(file, `${totpCode(secret)}\n`, { mode: 0o600 });
    await show();
    this.timer = setInterval(() => void show().catch(() => undefined), RENEW_MS).unref();
  }
}
const authenticator = new Authenticator();

/** The client files of a lab whose symptom needs them, from the broken stack; written again on --reset. */
export async function writeClientFiles(lab: Lab, ctx: ScenarioContext, broken: BrokenScenario): Promise<ClientFiles> {
  const symptom = lab.lab.symptom;
  if ('webhookFrom' in symptom) {
    const tap = ctx.stack.proxy?.tap;
    if (!tap) throw new Error(`${lab.id}: its stack has no tap, the listed client's container`);
    const { listed } = broken.state as { listed: string };
    const doctorWebhookUrl = broken.doctorInput('broken').webhook?.url;
    return {
      clientContainer: tap.getName().replace(/^\//, ''),
      ...(symptom.webhookFrom.forged ? { forwardedFor: listed } : {}),
      ...(doctorWebhookUrl ? { doctorWebhookUrl } : {}),
    };
  }
  if ('trigger' in symptom) {
    const state = broken.state as TriggerState;
    // The visitor's call is the symptom's first (its state keeps it for the doctor): made once here where it was not yet.
    if (!state.doctorCall) await broken.symptom();
    const sent = state.doctorCall?.headers?.find(([name]) => name.toLowerCase() === 'authorization')?.[1];
    if (!sent) throw new Error(`${lab.id}: its visitor sends no Authorization`);
    return { tokenFile: await write(lab.id, VISITOR_FILE, sent), workflowUrl: state.trigger.url };
  }
  if ('signIn' in symptom) {
    const user = broken.state as MfaUser;
    const authenticatorFile = join(labDir(lab.id), AUTHENTICATOR_FILE);
    await authenticator.follow(user.secret, authenticatorFile);
    const codeFile = symptom.signIn === 'typed' ? await write(lab.id, TYPED_FILE, `${wrongCode(user.secret)}\n`) : authenticatorFile;
    return { member: { email: user.email, passwordFile: await write(lab.id, 'member-password', user.password), authenticatorFile, codeFile } };
  }
  if ('mailedLink' in symptom) return writeMailFiles(lab.id, ctx);
  return {};
}

/** After --apply recreated n8n: where the symptom is a webhook's call, until n8n serves that webhook again (it registers active workflows after it first answers). */
export async function untilWebhookServed(lab: Lab, ctx: ScenarioContext, broken: BrokenScenario): Promise<void> {
  if (!('webhookFrom' in lab.lab.symptom) || ctx.stack.primaryFailure) return;
  await waitForWebhook(ctx, (broken.state as { hook: WebhookWorkflow }).hook);
}

/** The user and password a Basic Authorization value carries (undecodable: what it is, as the user, and no password). */
function basicCredentials(value: string): { user: string; password: string } {
  const decoded = Buffer.from(value.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { user: decoded, password: '' } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Runs `probe` (the verified fix's probes) as the learner's client left it: for a form or chat
 * visitor, with the user and password its Authorization file carries in place of the credential's,
 * so the probes send what the visitor sends; the trigger's own values are put back after.
 */
export async function asClientLeftIt<T>(lab: Lab, broken: BrokenScenario, files: ClientFiles, probe: () => Promise<T>): Promise<T> {
  if (!('trigger' in lab.lab.symptom) || !files.tokenFile) return probe();
  const { trigger } = broken.state as TriggerState;
  const kept = { user: trigger.user, password: trigger.password };
  const sent = basicCredentials(await readAsShell(files.tokenFile));
  if (sent.password) registerSecret(sent.password, 'password');
  Object.assign(trigger, sent);
  try {
    return await probe();
  } finally {
    Object.assign(trigger, kept);
  }
}

/**
 * `--check` of a lab whose fix is the code a member types: the member's sign-in (the verified fix's
 * request) with the code its file holds now; fixed once n8n signs the member in. Undefined for other labs.
 */
export async function checkTypedCode(
  lab: Lab,
  ctx: ScenarioContext,
  broken: BrokenScenario,
  files: ClientFiles,
): Promise<{ fixed: boolean; lines: string[] } | undefined> {
  const symptom = lab.lab.symptom;
  if (!('signIn' in symptom) || symptom.signIn !== 'typed' || !files.member) return undefined;
  const mfaCode = await readAsShell(files.member.codeFile);
  const exchanges = await signIn(ctx, `the member's sign-in with the code in ${files.member.codeFile}`, broken.state as MfaUser, { mfaCode });
  const judged = judgedOf(exchanges).at(-1);
  const fixed = judged?.outcome === 'accepted';
  return { fixed, lines: [`${fixed ? 'ok     ' : 'not yet'} must be accepted: ${judged ? describeExchange(judged) : 'no request made'}`] };
}
