import type { Exchange } from '../parts/client/exchange.ts';
import { inspectApiKey } from '../parts/inspect/key-inspector.ts';
import { registerSecret } from '../base/secrets.ts';
import { API_KEY_HEADER, check, PUBLIC_WORKFLOWS, send } from '../core/probes.ts';
import { defineScenario, required } from '../core/define.ts';
import { defineFamily } from '../core/family.ts';
import type { Check, Remedy, ScenarioContext } from '../core/types.ts';
import type { StackSpec } from '../parts/stack/auth-stack.ts';
import { type CredentialWorkflow, deployCredentialWorkflow, providerUrl, runWebhookWorkflow, type WebhookWorkflow } from '../core/workflows.ts';

/** One n8n from the libfaketime image (scraped by Prometheus): each clock scenario shifts and restores its clock over the same data. */
export const CLOCK_STACK: StackSpec = { name: 'clock', layer: 'faketime', metrics: true };
/** How far off a container's clock may be from the offset it was given (boot, exec and rounding). */
const TOLERANCE_S = 30;

/** The container's own `date` against the host's clock, in seconds. */
async function containerClockAhead(ctx: ScenarioContext): Promise<number> {
  const { output } = await ctx.n8n.container.exec(['date', '+%s']);
  return Number(output.trim()) - Math.round(Date.now() / 1000);
}

/** Replaces n8n over its data with another clock and proves the container's `date` moved by it. */
export async function setClock(ctx: ScenarioContext, offset: string | null, aheadSeconds: number): Promise<Check> {
  ctx.progress(offset ? `restarting n8n with its clock ${offset}` : 'restarting n8n on true time');
  await ctx.stack.replacePrimary({ clockOffset: offset });
  const ahead = await containerClockAhead(ctx);
  return check(
    `the n8n container's date is ${aheadSeconds} s ahead of the host (${offset ?? 'true time'})`,
    Math.abs(ahead - aheadSeconds) <= TOLERANCE_S,
    `date in the container - host = ${ahead} s`,
  );
}

/** The key issued while n8n's clock ran ahead, and the one regenerated on true time (by a fix). */
interface SkewedKeys {
  skewedKey: string;
  freshKey?: string;
}

async function probeKey(ctx: ScenarioContext, label: string, key: string, path = PUBLIC_WORKFLOWS): Promise<Exchange> {
  return send(ctx, label, [[API_KEY_HEADER, key]], { path });
}

const sectionC = defineScenario<SkewedKeys>({
  id: 'clock.future-iat',
  title: 'a key issued by an n8n whose clock is 7 minutes ahead is refused by an n8n on true time',
  guide: {
    section: 'C',
    claim: "a fresh key whose iat lies in the future is rejected with 401 until the server's clock catches up (n8n-io/n8n#21054)",
    fix: 'wait 10 minutes; sync the container clock and restart; regenerate the key',
  },
  predicts: { outcome: 'rejected' },
  stack: CLOCK_STACK,
  fault: async (ctx) => {
    const ahead = await setClock(ctx, '+7m', 420);
    const key = await ctx.n8n.client.createApiKey({ label: 'issued-7-minutes-ahead' });
    const inspected = await inspectApiKey(key.rawApiKey);
    const iatAhead = inspected.iat?.aheadBySeconds ?? 0;
    const back = await setClock(ctx, null, 0);
    return {
      proof: [
        ahead,
        check(
          "n8n's own clock ran ahead: the key's iat is about 420 s ahead of the host",
          Math.abs(iatAhead - 420) <= TOLERANCE_S,
          `iat ${inspected.iat?.at ?? 'missing'}, ${iatAhead} s ahead of the host`,
        ),
        back,
      ],
      state: { skewedKey: key.rawApiKey },
    };
  },
  // Used at once, as in the bug report: on the public API (judged) and on /rest/workflows, which the
  // report called: /rest refuses every API key, future iat or not, so its 401 is shown, not judged.
  symptom: async (ctx, { skewedKey }) => [
    await probeKey(ctx, 'the 7-minutes-ahead key on /api/v1/workflows, at once', skewedKey),
    {
      ...(await probeKey(
        ctx,
        'the same key on /rest/workflows, as in n8n-io/n8n#21054 (refused for /rest, not for the iat: not judged)',
        skewedKey,
        '/rest/workflows',
      )),
      context: true,
    },
  ],
  remedies: [
    {
      name: 'sync the container clock and restart (docker restart n8n)',
      source: 'guide',
      apply: async (ctx) => [await setClock(ctx, null, 0)],
      probe: async (ctx, { skewedKey }) => [await probeKey(ctx, 'the same key after a restart on true time', skewedKey)],
    },
    {
      name: 'regenerate the key after the clock is synced',
      source: 'guide',
      apply: async (ctx, state) => {
        const key = await ctx.n8n.client.createApiKey({ label: 'regenerated-on-true-time' });
        state.freshKey = registerSecret(key.rawApiKey, 'api-key');
        const iat = (await inspectApiKey(key.rawApiKey)).iat?.aheadBySeconds ?? 999;
        return [check('the new key has an iat on true time', Math.abs(iat) <= TOLERANCE_S, `iat ${iat} s from the host clock`)];
      },
      probe: async (ctx, state) => [await probeKey(ctx, 'a key regenerated on true time', required(state.freshKey, 'the regenerated key'))],
    },
    {
      // Ten minutes of waiting are played by moving n8n's clock 10 minutes on: for the comparison
      // of the key's iat with n8n's clock, that is what the wait does.
      name: 'wait 10 minutes (played by n8n running 10 minutes later)',
      source: 'guide',
      apply: async (ctx) => [await setClock(ctx, '+10m', 600)],
      probe: async (ctx, { skewedKey }) => [await probeKey(ctx, 'the 7-minutes-ahead key, 10 minutes later', skewedKey)],
    },
  ] satisfies Remedy<SkewedKeys>[],
  // Judged on the public API probe (the first): n8n may well accept a key from its own future.
  doctor: {
    names: { among: ['key-issued-in-future', 'healthy'], decide: ([api]) => (api?.outcome === 'accepted' ? 'healthy' : 'key-issued-in-future') },
    input: (_ctx, phase, state) => ({ key: phase === 'fixed' ? (state.freshKey ?? state.skewedKey) : state.skewedKey }),
  },
});

/** A key created at true time that expires in 30 minutes, judged by an n8n whose clock runs an hour ahead. */
const expiredEarly = defineScenario<{ expiringKey: string }>({
  id: 'clock.expiry-judged-by-fast-clock',
  title: 'an n8n whose clock runs ahead rejects a key before its expiry',
  guide: {
    section: 'E',
    claim: '"token rejected immediately" in the log: JWT clock drift; sync the container clock',
    fix: 'sync the container clock and restart',
  },
  predicts: { outcome: 'rejected' },
  stack: CLOCK_STACK,
  fault: async (ctx) => {
    const key = await ctx.n8n.client.createApiKey({ label: 'expires-in-30-minutes', expiresAt: Math.floor(Date.now() / 1000) + 1800 });
    const exp = (await inspectApiKey(key.rawApiKey)).exp;
    const ahead = await setClock(ctx, '+1h', 3600);
    const notExpired = check(
      'the key has not expired by the host clock',
      exp !== undefined && !exp.expired,
      exp ? `exp ${exp.at}, ${exp.aheadBySeconds} s ahead of the host` : 'no exp claim',
    );
    return { proof: [notExpired, ahead], state: { expiringKey: key.rawApiKey } };
  },
  symptom: async (ctx, { expiringKey }) => [await probeKey(ctx, 'the 30-minute key, judged by a clock an hour ahead', expiringKey)],
  remedies: [
    {
      name: 'sync the container clock and restart',
      source: 'guide',
      apply: async (ctx) => [await setClock(ctx, null, 0)],
      probe: async (ctx, { expiringKey }) => [await probeKey(ctx, 'the same key, n8n back on true time', expiringKey)],
    },
  ],
  doctor: { names: 'n8n-clock-skewed', input: (_ctx, _phase, { expiringKey }) => ({ key: expiringKey }) },
});

/** n8n on a skewed clock with a mock API that checks the time claims of the JWTs n8n signs for it. */
const JWT_STACK: StackSpec = { name: 'clock-jwt', layer: 'faketime', providers: ['jwt-app'] };
const JWT_APP = 'jwt-app';

/** The iat of the JWT n8n sent, as the provider read it, against the provider's true clock. */
function iatOfSentToken(symptom: Exchange[]): { aheadBy: number; iat: number } | undefined {
  const answer = symptom.find((e) => e.via === 'n8n-workflow')?.response?.body;
  const { iat, serverTime } = JSON.parse(answer ?? '{}') as { iat?: number; serverTime?: number };
  return iat === undefined || serverTime === undefined ? undefined : { iat, aheadBy: iat - serverTime };
}

/** The JWT credential (the app's signing secret) and the workflow that signs a token with it and calls the app. */
export function jwtAppWorkflow(secret: string): CredentialWorkflow {
  return {
    credential: { name: 'jwt-app signing secret', type: 'jwtAuth', data: { keyType: 'passphrase', secret, algorithm: 'HS256' } },
    fixture: 'jwt-app-call',
    values: { providerUrl: providerUrl(JWT_APP) },
  };
}

const thirdPartyJwt = defineScenario<{ workflow: WebhookWorkflow }>({
  id: 'clock.third-party-jwt',
  title: "a JWT that n8n signs on a clock 7 minutes ahead is refused by the API it calls, inside the workflow's execution",
  guide: {
    section: 'E',
    claim: '"iat set to future timestamp or token rejected immediately": clock drift; sync the container clock',
    fix: 'sync the container clock and restart',
  },
  predicts: { outcome: 'rejected' },
  stack: JWT_STACK,
  fault: async (ctx) => {
    const secret = required(ctx.stack.providers?.secrets.JWT_APP_SECRET, 'the jwt-app signing secret of the stack');
    const { workflow } = await deployCredentialWorkflow(ctx, jwtAppWorkflow(secret));
    return { proof: [await setClock(ctx, '+7m', 420)], state: { workflow } };
  },
  symptom: (ctx, { workflow }) => runWebhookWorkflow(ctx, workflow, 'n8n 7 minutes ahead', JWT_APP),
  // n8n's own clock, not only the container's date: the iat n8n put in the token it signed.
  proveFromRequest: (symptom) => {
    const sent = iatOfSentToken(symptom);
    return [
      check(
        "n8n's own clock ran ahead: the JWT it signed has an iat about 420 s ahead of the provider's true clock",
        sent !== undefined && Math.abs(sent.aheadBy - 420) <= TOLERANCE_S,
        sent ? `iat ${sent.iat}, ${sent.aheadBy} s ahead` : 'no JWT reached the provider',
      ),
    ];
  },
  remedies: [
    {
      name: 'sync the container clock and restart',
      source: 'guide',
      apply: async (ctx) => [await setClock(ctx, null, 0)],
      probe: (ctx, { workflow }) => runWebhookWorkflow(ctx, workflow, 'n8n on true time', JWT_APP),
    },
  ],
  // The refusal happens inside the workflow, but its cause shows outside: n8n's Date header.
  doctor: { names: 'n8n-clock-skewed' },
});

export const clockFamily = defineFamily('clock', 'Clocks: skewed n8n containers (libfaketime)', [sectionC, expiredEarly, thirdPartyJwt]);
