import { N8nRequestError } from '../../parts/client/n8n-client.ts';
import { check, wrongKeyOf } from '../../core/probes.ts';
import type { AnyScenario, Check, ScenarioContext } from '../../core/types.ts';
import { type HookCase, type HookProbe, hookScenario, type HookState, sendRightAuth } from './factory.ts';
import { CLOCK_STACK, setClock } from '../clock.ts';
import {
  createHookCredential,
  credentialData,
  HOOK_HEADER,
  hookJwt,
  newSecrets,
  nowSeconds,
  publishWorkflow,
  waitUntilServed,
  webhookWorkflow,
} from './hooks.ts';

/** How far ahead the issuer's clock runs: the 7 minutes of the guide's section C. */
const AHEAD_S = 420;

const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

/** A call with a token whose times `claims` gives when the call is made, signed with the credential's secret (or `secret`). */
const tokenCall = (label: string, claims: () => Parameters<typeof hookJwt>[1], secret = (state: HookState) => state.hook.secrets.jwtSecret): HookProbe => ({
  call: async (state) => ({ label, headers: [bearer(await hookJwt(secret(state), claims()))] }),
});

/** A JWT Auth scenario: users expect 401; n8n's own message for it (from its source) is the text claimed. */
function jwtCase(c: Pick<HookCase, 'id' | 'title' | 'guide' | 'symptom'> & Partial<HookCase>): AnyScenario {
  return hookScenario({
    predicts: { outcome: 'rejected' },
    auth: 'jwtAuth',
    remedies: [sendRightAuth('send a token signed with the secret, issued now (iat now, exp in 5 minutes)')],
    ...c,
  });
}

const JWT_FIX = "send a token signed with the credential's secret, within its validity";

const jwtMissing = jwtCase({
  id: 'webhooks.jwt-auth-missing',
  refusalKeepsOut: 'a caller without a token',
  title: 'a JWT Auth webhook called without a token is refused',
  guide: { section: 'not in the guide', claim: 'a JWT Auth webhook called without a token answers 401 "No token provided"', fix: JWT_FIX },
  predicts: { outcome: 'rejected', says: 'No token provided' },
  symptom: [
    {
      call: () => ({ label: 'no Authorization header' }),
      proves: { what: 'the call carried no Authorization', test: (l) => !l.some((x) => /^authorization:/i.test(x)) },
    },
  ],
});

const jwtWrongSecret = jwtCase({
  id: 'webhooks.jwt-auth-wrong-secret',
  refusalKeepsOut: 'a caller with a JWT signed by another secret',
  title: 'a JWT signed with another secret is refused',
  guide: { section: 'not in the guide', claim: 'a JWT signed with another secret answers 401 "invalid signature"', fix: JWT_FIX },
  predicts: { outcome: 'rejected', says: 'invalid signature' },
  symptom: [
    tokenCall(
      'a token signed with another secret',
      () => ({ iat: nowSeconds(), exp: nowSeconds() + 300 }),
      ({ hook }) => wrongKeyOf(hook.secrets.jwtSecret),
    ),
  ],
});

const jwtExpired = jwtCase({
  id: 'webhooks.jwt-auth-expired',
  refusalKeepsOut: 'a caller with an expired JWT',
  title: 'an expired JWT is refused',
  guide: { section: 'not in the guide', claim: 'an expired JWT answers 401 "jwt expired"', fix: JWT_FIX },
  predicts: { outcome: 'rejected', says: 'jwt expired' },
  symptom: [tokenCall('a token that expired 5 minutes ago', () => ({ iat: nowSeconds() - 600, exp: nowSeconds() - 300 }))],
});

/**
 * The issuer's clock runs ahead, not n8n's: the token carries times from its future. Two issuers:
 * one that sets only iat (and exp), one that also sets nbf (many libraries' "not before now").
 */
const jwtAhead = jwtCase({
  id: 'webhooks.jwt-auth-issuer-clock-ahead',
  title: "a JWT issued on a clock 7 minutes ahead of n8n's is refused",
  guide: {
    section: 'not in the guide',
    claim: 'a JWT issued on a clock that runs ahead (iat, and nbf where the issuer sets it, in the future) is refused with 401',
    fix: "sync the issuer's clock (issue the token on true time)",
  },
  symptom: [
    tokenCall('iat 7 min ahead, exp 12 min ahead, no nbf', () => ({ iat: nowSeconds() + AHEAD_S, exp: nowSeconds() + AHEAD_S + 300 })),
    tokenCall('iat and nbf 7 min ahead, exp 12 min ahead', () => ({
      iat: nowSeconds() + AHEAD_S,
      nbf: nowSeconds() + AHEAD_S,
      exp: nowSeconds() + AHEAD_S + 300,
    })),
  ],
});

/** The token an issuer on true time sends: iat and nbf now, exp in 5 minutes. */
const tokenOnTrueTime = tokenCall('iat and nbf now, exp in 5 minutes, issued on true time', () => ({
  iat: nowSeconds(),
  nbf: nowSeconds(),
  exp: nowSeconds() + 300,
})).call;

/** Moves n8n's clock (a restart over its data) and waits until the webhook is served again. */
const clockTo =
  (offset: string | null, aheadSeconds: number) =>
  async (ctx: ScenarioContext, state: HookState): Promise<Check[]> => {
    const moved = await setClock(ctx, offset, aheadSeconds);
    await waitUntilServed(ctx, state.hook);
    return [moved];
  };

/**
 * The same skew seen from the other side, with the faketime layer: n8n's clock runs 7 minutes
 * behind the issuer's (true time), so a token valid from now is, for n8n, not valid yet.
 */
const jwtVerifierBehind = hookScenario({
  id: 'webhooks.jwt-auth-verifier-clock-behind',
  title: 'a JWT issued on true time is refused by an n8n whose clock runs 7 minutes behind',
  guide: {
    section: 'not in the guide',
    claim: 'a JWT Auth webhook whose n8n runs behind the issuer refuses fresh tokens with 401',
    fix: "sync n8n's clock and restart",
  },
  predicts: { outcome: 'rejected' },
  auth: 'jwtAuth',
  stack: CLOCK_STACK,
  alter: clockTo('-7m', -AHEAD_S),
  symptom: [{ call: tokenOnTrueTime }],
  remedies: [{ name: "sync n8n's clock and restart (the container on true time)", source: 'guide', apply: clockTo(null, 0), call: tokenOnTrueTime }],
  // The doctor reads n8n's Date header first: the skew is the root cause it names.
  doctorNames: 'n8n-clock-skewed',
});

/** Attaches a new Header Auth credential to the node and publishes the workflow again. */
async function attachCredential(ctx: ScenarioContext, state: HookState): Promise<Check[]> {
  const { hook } = state;
  hook.secrets = newSecrets();
  hook.credentialId = await createHookCredential(ctx, 'headerAuth', credentialData('headerAuth', hook.secrets));
  const put = await ctx.n8n.client.publicApi(
    'PUT',
    `/workflows/${hook.id}`,
    ctx.n8n.apiKey.rawApiKey,
    webhookWorkflow(hook.path, 'headerAuth', hook.credentialId),
  );
  if (put.status !== 200) throw new N8nRequestError('attaching the credential to the Webhook node failed', put);
  const published = await publishWorkflow(ctx, hook);
  return [
    check('the Webhook node names the new credential', put.status === 200, `PUT /api/v1/workflows/${hook.id}: ${put.status}`),
    check('n8n published the workflow', published.response?.status === 200, `${published.label}: ${published.response?.status ?? published.error}`),
  ];
}

const noCredential = hookScenario({
  id: 'webhooks.no-credential',
  title: 'a Webhook node set to Header Auth with no credential attached answers 500 "No authentication data defined on node!"',
  guide: {
    section: 'not in the guide',
    claim: 'n8n: a Webhook node with authentication and no credential answers 500 "No authentication data defined on node!"',
    fix: 'attach a credential to the Webhook node and publish again',
  },
  predicts: { outcome: 'other', says: 'No authentication data defined on node!' },
  auth: 'headerAuth',
  setup: 'no-credential',
  symptom: [{ call: ({ hook }) => ({ label: `${HOOK_HEADER} with a value, no credential on the node`, headers: [[HOOK_HEADER, hook.secrets.headerValue]] }) }],
  remedies: [{ ...sendRightAuth('attach a Header Auth credential and publish again'), apply: attachCredential }],
});

export const jwtCredentialScenarios = [jwtMissing, jwtWrongSecret, jwtExpired, jwtAhead, jwtVerifierBehind, noCredential];
