import { judgedOf, type Exchange } from '../../parts/client/exchange.ts';
import type { SiteConfig } from '../../parts/proxy/site-config.ts';
import { defineScenario } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { answeredBy, guideSaysOf, happensOn } from '../../core/judgement.ts';
import { check, n8nEnv } from '../../core/probes.ts';
import type { AnyScenario, Check, Judgement, Observation, Prediction, Remedy, ScenarioContext, ScenarioInfo } from '../../core/types.ts';
import { deployWebhookWorkflow, waitForWebhook, type WebhookWorkflow } from '../../core/workflows.ts';
import { applySite } from '../proxy/live-site.ts';
import { addressOf, type Client, forwardedForSeen, fromClient } from './clients.ts';
import { deployDoctorHook, type DoctorHook, doctorWebhookInput } from './doctor-hook.ts';
import { ALLOWLIST_STACK, N8N_ITSELF, type Route, type RouteName, ROUTES } from './routes.ts';

/** The part of n8n's refusal both lines share: 1.x "IP is not whitelisted to access the webhook!", 2.x "IP is not allowed to ...". */
export const REFUSAL = 'to access the webhook!';

/** What users are told the allowlist answers an address not on it. */
export const REFUSED: Prediction = { outcome: 'forbidden', says: REFUSAL };

/** The addresses on the stack network, and the webhook as deployed. */
interface AllowlistState {
  listed: string;
  other: string;
  proxy: string;
  hook: WebhookWorkflow;
  /** Where the symptom is a listed client refused: the doctor's own webhook. */
  doctor?: DoctorHook;
}

/** Whose address the webhook's "IP(s) Allowlist" holds: the listed client's, or the proxy's (what n8n sees without N8N_PROXY_HOPS). */
type Allowed = 'listed' | 'proxy';

/**
 * The judged request: `listed` the allowlisted client, as it is; `other` a client not on the
 * list; `forged` that client with `X-Forwarded-For: <the listed address>`.
 */
type Judged = 'listed' | 'other' | 'forged';

export interface AllowlistRemedy {
  name: string;
  source: Remedy['source'];
  /** n8n restarted with this N8N_PROXY_HOPS (null: unset); absent: left as it is. */
  hops?: number | null;
  /** Another way in than the scenario's (the same request through another entry point). */
  route?: RouteName;
  /** Another proxy config than the route's. */
  site?: SiteConfig;
  /** The webhook deployed again with this address on its list. */
  allow?: Allowed;
}

export type AllowlistScenario = Omit<ScenarioInfo, 'stack' | 'predicts' | 'judge' | 'proveFromRequest' | 'guide'> & {
  claim: string;
  fix: string;
  route: RouteName;
  /** N8N_PROXY_HOPS while broken (null: unset). */
  hops: number | null;
  allow: Allowed;
  judged: Judged;
  remedies: AllowlistRemedy[];
};

const hopsText = (hops: number | null) => (hops === null ? 'unset' : String(hops));

/** n8n with this N8N_PROXY_HOPS (restarted only if it runs with another), its webhooks registered again, and the proof. */
async function withHops(ctx: ScenarioContext, hops: number | null, hooks: WebhookWorkflow[] = []): Promise<Check> {
  if ((await n8nEnv(ctx, 'N8N_PROXY_HOPS')) !== (hops === null ? '' : String(hops))) {
    ctx.progress(`restarting n8n with N8N_PROXY_HOPS ${hopsText(hops)}`);
    await ctx.stack.replacePrimary(hops === null ? { unset: ['N8N_PROXY_HOPS'] } : { env: { N8N_PROXY_HOPS: String(hops) } });
    for (const hook of hooks) await waitForWebhook(ctx, hook);
  }
  const seen = await n8nEnv(ctx, 'N8N_PROXY_HOPS');
  return check(
    `n8n runs with N8N_PROXY_HOPS ${hopsText(hops)}`,
    seen === (hops === null ? '' : String(hops)),
    `printenv N8N_PROXY_HOPS -> ${seen || '(unset)'}`,
  );
}

async function deployHook(ctx: ScenarioContext, state: Omit<AllowlistState, 'hook'>, allow: Allowed): Promise<{ hook: WebhookWorkflow; proof: Check }> {
  const address = allow === 'listed' ? state.listed : state.proxy;
  const hook = await deployWebhookWorkflow(ctx, 'webhook-ip-allowlist', { allowlist: address });
  const whose = allow === 'listed' ? "the listed client's address" : "the proxy's own address (what n8n sees a request come from without N8N_PROXY_HOPS)";
  return { hook, proof: check(`the webhook's "IP(s) Allowlist" holds ${whose}`, true, `ipWhitelist "${address}" on /webhook/${hook.webhookPath}`) };
}

/** Traefik's own account of an entry point's forwarded-headers trust, from its API on the stack network. */
async function entryPointTrust(ctx: ScenarioContext): Promise<Check> {
  const answer = await fromClient(ctx, 'listed', "Traefik's API: the trusting entry point", 'http://traefik:8080/api/entrypoints/trusting');
  const insecure = /"insecure"\s*:\s*true/.test(answer.response?.body ?? '');
  return check(
    "Traefik trusts every client's X-Forwarded-For on this entry point (forwardedHeaders.insecure)",
    insecure,
    (answer.response?.body ?? answer.error ?? '').slice(0, 200),
  );
}

/** The request a scenario judges, from the client it names, through a route. */
function request(ctx: ScenarioContext, s: AllowlistState, judged: Judged, route: Route, when: string): Promise<Exchange> {
  const url = `${route.base}/webhook/${s.hook.webhookPath}`;
  const through = `through ${route.what}`;
  if (judged === 'listed') return fromClient(ctx, 'listed', `${when}: the listed client (${s.listed}) ${through}`, url);
  if (judged === 'other') return fromClient(ctx, 'other', `${when}: a client not on the list (${s.other}) ${through}`, url);
  return fromClient(ctx, 'other', `${when}: a client not on the list (${s.other}) with a forged X-Forwarded-For: ${s.listed}, ${through}`, url, [
    ['X-Forwarded-For', s.listed],
  ]);
}

/** The request beside the judged one that shows the allowlist is still right after a fix: the listed client in, an outsider out. */
const counterpart = (judged: Judged): { client: Client; expect: 'accepted' | 'forbidden' } =>
  judged === 'listed' ? { client: 'other', expect: 'forbidden' } : { client: 'listed', expect: 'accepted' };

/** Why the doctor names nothing where the failure lets someone in: it reads refusals, and these are admissions. */
const PROXY_LISTED_BLIND =
  "the failure admits a client not on the list; from such a client the doctor sees the webhook admit it through the proxy and refuse it straight, which a client n8n knows by another address through the proxy than straight (a NAT, another network) sees as well: it cannot tell the proxy's address on the list from a right one";
const FORGED_BLIND =
  "the failure admits a client that forges X-Forwarded-For with an address on the list: the doctor knows no address on the list, and it does not send forged headers to a live webhook (each call let in runs the user's workflow once more)";

/** A failure that lets someone in: it happens where the judged requests were admitted (users are told they are refused). */
function admitted(obs: Observation, predicts: Prediction): Judgement {
  const judged = judgedOf(obs.symptom);
  const passed = judged.filter((e) => e.outcome === 'accepted');
  return {
    ...happensOn(passed, judged),
    symptomMatches: false,
    answered: passed.length
      ? [...new Set(passed.map((e) => `${e.response?.status} (admitted; n8n received X-Forwarded-For: ${forwardedForSeen(e) ?? 'none'})`))].join(' / ')
      : answeredBy(judged),
    reasons: passed.map(
      (e) => `${e.label}: admitted (n8n received X-Forwarded-For: ${forwardedForSeen(e) ?? 'none'}); users are told ${guideSaysOf(predicts)}`,
    ),
  };
}

/**
 * A webhook allowlist behind proxies: the clients' and the proxy's addresses found on the stack
 * network, the route's proxy config applied and shown live, n8n on the fault's N8N_PROXY_HOPS, a
 * webhook allowing one address; the judged request through the route; each fix restarts n8n with
 * other hops, takes another route or config, or lists another address. Where the symptom is a listed
 * client refused, the doctor is run from the host through the same route, on a webhook of its own
 * that lists the host (doctor-hook.ts); such a scenario's fixes keep its route.
 */
export function allowlistScenario(p: AllowlistScenario): AnyScenario {
  const { claim, fix, route: routeName, hops, allow, judged, remedies, ...info } = p;
  const route = ROUTES[routeName];
  const letsIn = judged !== 'listed';
  return defineScenario<AllowlistState>({
    ...info,
    guide: { section: NOT_IN_GUIDE, claim, fix },
    predicts: letsIn ? { outcome: 'forbidden', says: REFUSAL } : REFUSED,
    ...(letsIn ? { judge: admitted } : {}),
    stack: ALLOWLIST_STACK,
    fault: async (ctx) => {
      const addresses = { listed: await addressOf(ctx, 'n8n'), other: await addressOf(ctx, N8N_ITSELF), proxy: await addressOf(ctx, route.kind) };
      const live = await applySite(ctx, route.site, route.live);
      const hopsProof = await withHops(ctx, hops);
      const { hook, proof } = await deployHook(ctx, addresses, allow);
      const trust = routeName === 'traefik-trusting' ? [await entryPointTrust(ctx)] : [];
      const doctor = letsIn ? undefined : await deployDoctorHook(ctx, addresses.proxy);
      const distinct = check(
        'the listed client, the other client and the proxy have addresses of their own',
        new Set(Object.values(addresses)).size === 3,
        `listed ${addresses.listed}, other ${addresses.other}, ${route.kind} ${addresses.proxy}`,
      );
      return {
        proof: [distinct, ...live, hopsProof, proof, ...trust, ...(doctor ? [doctor.proof] : [])],
        state: { ...addresses, hook, ...(doctor ? { doctor: doctor.doctor } : {}) },
      };
    },
    symptom: async (ctx, s) => [await request(ctx, s, judged, route, 'broken')],
    alongside: async (ctx, s) => [
      await fromClient(ctx, 'listed', 'the listed client straight to n8n (not through a proxy)', `http://${N8N_ITSELF}:5678/webhook/${s.hook.webhookPath}`),
    ],
    remedies: remedies.map((r) => {
      const after = ROUTES[r.route ?? routeName];
      const other = counterpart(judged);
      return {
        name: r.name,
        source: r.source,
        expect: letsIn ? 'forbidden' : 'accepted',
        apply: async (ctx: ScenarioContext, s: AllowlistState) => {
          const checks = await applySite(ctx, r.site ?? after.site, r.site ? [] : after.live);
          if (r.hops !== undefined) checks.push(await withHops(ctx, r.hops, [s.hook, ...(s.doctor ? [s.doctor.hook] : [])]));
          if (r.allow) {
            const { hook, proof } = await deployHook(ctx, s, r.allow);
            s.hook = hook;
            checks.push(proof);
          }
          return checks;
        },
        probe: async (ctx: ScenarioContext, s: AllowlistState) => {
          const judgedAfter = await request(ctx, s, judged, after, 'fixed');
          const url = `${after.base}/webhook/${s.hook.webhookPath}`;
          const beside = await fromClient(
            ctx,
            other.client,
            `fixed: the ${other.client === 'listed' ? 'listed client' : 'client not on the list'} through ${after.what}`,
            url,
          );
          return [judgedAfter, { ...beside, context: true as const }];
        },
        verify: (exchanges: Exchange[]) => {
          const beside = exchanges.find((e) => e.context);
          return [
            check(
              `the ${other.client === 'listed' ? 'listed client is admitted' : 'client not on the list is refused'}`,
              beside?.outcome === other.expect,
              `${beside?.response?.status ?? beside?.error}`,
            ),
          ];
        },
      };
    }),
    ...(letsIn
      ? { doctorBlind: judged === 'forged' ? FORGED_BLIND : PROXY_LISTED_BLIND }
      : { doctor: { names: 'webhook-ip-refused', input: (ctx, _phase, s) => doctorWebhookInput(ctx, route, s.doctor) } }),
  });
}
