import { Secret, TOTP } from 'otpauth';
import { registerSecret } from '../../base/secrets.ts';
import type { Exchange } from '../../parts/client/exchange.ts';
import { check, send } from '../../core/probes.ts';
import { required } from '../../core/define.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { signUpMember, type SignedUpMember } from '../keys/member.ts';

/** Why `authlab doctor` cannot see these faults: it probes API keys and webhooks, not a person's sign-in. */
export const SIGN_IN_BLIND = "the two-factor code is part of a person's sign-in to the editor; the doctor probes API keys, webhooks and MCP tokens";

/** n8n's TOTP: RFC 6238 defaults (SHA-1, 6 digits, 30 s), checked with `window: 2` (2 steps either side) by both versions. */
const PERIOD_S = 30;

/** The code an authenticator app shows for `secret` at `at` (ms since the epoch: the device's clock). */
export function totpCode(secret: string, at = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });
}

/**
 * A code that is no code of the secret's at any step n8n would accept around now (each digit moved
 * by 5; moved again in the unlikely case that it is a neighbour's code).
 */
export function wrongCode(secret: string): string {
  const near = new Set([-3, -2, -1, 0, 1, 2, 3].map((step) => totpCode(secret, Date.now() + step * PERIOD_S * 1000)));
  let code = totpCode(secret);
  do code = [...code].map((d) => String((Number(d) + 5) % 10)).join('');
  while (near.has(code));
  return code;
}

/** A member with two-factor login on: its TOTP secret and the recovery codes n8n gave it (both registered as secrets). */
export interface MfaUser extends SignedUpMember {
  secret: string;
  recoveryCodes: string[];
  /** The member signed up and its two-factor login enabled, as the fault's proof. */
  proof: Check[];
}

/**
 * Signs a member up (invited by the owner) and enables its two-factor login as Settings > Personal
 * does: `GET /rest/mfa/qr` (secret and recovery codes), `POST /rest/mfa/enable` with the code an
 * authenticator shows now (otpauth). A member, not the owner: the stack's own client signs in as
 * the owner after every restart, and n8n checks the code the same way for every user.
 */
export async function mfaUser(ctx: ScenarioContext, name: string): Promise<MfaUser> {
  const member = await signUpMember(ctx, name);
  const qr = await member.client.call('GET', '/rest/mfa/qr');
  const data = (qr.json as { data?: { secret?: string; recoveryCodes?: string[] } } | undefined)?.data;
  const secret = registerSecret(required(data?.secret, `the TOTP secret of GET /rest/mfa/qr (${qr.status} ${qr.text.slice(0, 80)})`));
  const recoveryCodes = (data?.recoveryCodes ?? []).map((code) => registerSecret(code));
  const enabled = await member.client.call('POST', '/rest/mfa/enable', { body: { mfaCode: totpCode(secret) } });
  const proof = [
    member.signedUp,
    check(
      "the member's two-factor login was enabled through n8n's REST API with an authenticator's code (otpauth)",
      qr.status === 200 && enabled.status === 200,
      `GET /rest/mfa/qr -> ${qr.status} (a secret, ${recoveryCodes.length} recovery codes); POST /rest/mfa/enable -> ${enabled.status} ${enabled.text.slice(0, 80)}`,
    ),
  ];
  return { ...member, secret, recoveryCodes, proof };
}

/** A fault that is only a member with two-factor login on: its proof, and the member as the state. */
export function mfaUserFault(name: string): (ctx: ScenarioContext) => Promise<{ proof: Check[]; state: MfaUser }> {
  return async (ctx) => {
    const user = await mfaUser(ctx, name);
    return { proof: user.proof, state: user };
  };
}

/** What a sign-in carries besides the email and password. */
export interface SecondFactor {
  mfaCode?: string;
  mfaRecoveryCode?: string;
}

/** A second factor, or how to read it off the authenticator when the request is sent (a code lives 30 s; a rate-limit wait is 61). */
export type SecondFactorAt = SecondFactor | (() => SecondFactor);

/** n8n's answer to a client that signed in too often from one address (1.x: 5 sign-ins a minute in production). */
export const TOO_MANY = 429;
/** express-rate-limit's default window on n8n 1.x's `/rest/login`, and a second. */
const RATE_WINDOW_MS = 61_000;

/** Waits out n8n's sign-in rate limit window, saying so. */
export async function waitOutRateLimit(ctx: ScenarioContext, path: string): Promise<void> {
  ctx.progress(`n8n refused ${path} for its rate limit (429): waiting ${RATE_WINDOW_MS / 1000} s`);
  await new Promise((r) => setTimeout(r, RATE_WINDOW_MS));
}

/**
 * A request to one of n8n's sign-in paths, sent as curl would (n8n's log beside it). n8n 1.x lets one
 * address sign in 5 times a minute; a 429 is kept as context and the request is sent again once the
 * window passed, so that a scenario's later sign-in is judged on the code, not on the limit.
 */
export async function signInRequest(ctx: ScenarioContext, label: string, path: string, body: () => unknown): Promise<Exchange[]> {
  const first = await send(ctx, label, [['browser-id', 'authlab-mfa']], { path, json: body() });
  if (first.response?.status !== TOO_MANY) return [first];
  await waitOutRateLimit(ctx, path);
  const again = await send(ctx, `${label} (again, after n8n's sign-in rate limit)`, [['browser-id', 'authlab-mfa']], { path, json: body() });
  return [{ ...first, context: true }, again];
}

/** The member's sign-in (`POST /rest/login`) with its password and, if given, a code or recovery code. */
export function signIn(
  ctx: ScenarioContext,
  label: string,
  user: Pick<SignedUpMember, 'email' | 'password'>,
  factor: SecondFactorAt = {},
): Promise<Exchange[]> {
  return signInRequest(ctx, label, '/rest/login', () => ({
    emailOrLdapLoginId: user.email,
    password: user.password,
    ...(typeof factor === 'function' ? factor() : factor),
  }));
}
