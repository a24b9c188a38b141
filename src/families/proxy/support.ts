import type { Exchange, Outcome } from '../../parts/client/exchange.ts';
import type { ProxyKind } from '../../parts/images/service-images.ts';
import type { SiteConfig } from '../../parts/proxy/site-config.ts';
import { API_KEY_HEADER, check, n8nEnv, sendKey } from '../../core/probes.ts';
import { defineScenario, required } from '../../core/define.ts';
import type { AnyScenario, Check, DoctorExpectation, Remedy, ScenarioContext, ScenarioInfo } from '../../core/types.ts';
import type { ApiKey } from '../../parts/client/n8n-client.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import { namesUnlessAccepted } from '../../core/scenario-doctor.ts';
import { applySite, type Live } from './live-site.ts';
import { clientRequest, hasHeader, keyHeader, type Headers, noKey, type ProxyRequest, proxyOf, reached, straight, through, wrongKey } from './requests.ts';

export { applySite, type Live } from './live-site.ts';
export { hasHeader, keyHeader, neverReached, noKey, reached, underscoreKey, viaProxy } from './requests.ts';

/**
 * One n8n behind NGINX and Caddy side by side (one boot serves both), with the tap recording what
 * each sent upstream. Traefik has a stack of its own: where its image cannot be had, only its
 * scenarios are reported as not runnable.
 */
const SHARED: StackSpec = { name: 'proxies', proxies: ['nginx', 'caddy'], metrics: true };
export const PROXY_STACKS: Record<ProxyKind, StackSpec> = { nginx: SHARED, caddy: SHARED, traefik: { name: 'traefik', proxies: ['traefik'] } };

/** A key made for the proxy to inject, so rotating it leaves the stack's own key alone. */
function proxyKey(ctx: ScenarioContext): Promise<ApiKey> {
  return ctx.n8n.client.createApiKey({ label: `proxy-injected-${Date.now()}` });
}

export interface ProxyRemedy {
  name: string;
  source: Remedy['source'];
  site: SiteConfig;
  live?: Live[];
  /** The client's headers after this fix, where the fix is in the client (default: the scenario's). */
  send?: (ctx: ScenarioContext) => Headers;
  /** The fix is the client's request (`send`), not the proxy's config: no lab can be made of it. */
  inClient?: true;
  path?: string;
  /** n8n restarted over its data with this env first. */
  n8nEnv?: Record<string, string>;
  expect?: Outcome;
  verify?: (exchanges: Exchange[]) => Check[];
}

/**
 * A proxy scenario: defineScenario's fields (its id written in full, `proxy.caddy-default-config`)
 * and these, from which the factory makes the fault, the symptom and each remedy.
 */
export interface ProxyExtras {
  proxy: ProxyKind;
  /** The faulty site config; a function of the key the proxy injects where it injects one (a key made for it first). */
  fault: SiteConfig | ((injectedKey: string) => SiteConfig);
  /** What the running config must show for the fault to count as applied. */
  live: Live[];
  /** Done before the config is applied, with the key made for the proxy to inject if it injects one; its checks join the proof. */
  prepare?: (ctx: ScenarioContext, injected: ApiKey | undefined) => Promise<Check[]>;
  /** The client's headers; default: the valid key in X-N8N-API-KEY. */
  send?: (ctx: ScenarioContext) => Headers;
  /** Several requests instead of one `send`. */
  requests?: (ctx: ScenarioContext) => ProxyRequest[];
  /** The path called through the proxy; default /api/v1/workflows. */
  path?: string;
  remedies: ProxyRemedy[];
  /** What the doctor, given n8n's URL and this proxy's, must name (else `doctorBlind` says why it cannot see the fault). */
  doctor?: DoctorExpectation['names'];
  /** The prefix users put before n8n's paths on this proxy (the doctor's proxy URL ends with it). */
  prefix?: string;
  /** Another stack than the proxy's shared one (one with a second n8n, say). */
  stack?: StackSpec;
  /** false: no lab, where the fault needs more than the lab's n8n and NGINX (a second n8n). */
  lab?: false;
}

export type ProxyScenario = Omit<ScenarioInfo, 'stack' | 'lab'> & ProxyExtras;

/** A default config that may or may not drop the key: the run decides, and the doctor must agree. */
export const passesOrDrops = namesUnlessAccepted('proxy-loses-key');

/** Faults that need something of the client's own (a header spelled with underscores, a huge cookie). */
export const PROXY_CLIENT_BLIND =
  "the fault needs the client's own request (an underscore header name, an oversized cookie); the doctor's requests are correct and small";

export async function restartWithEnv(ctx: ScenarioContext, env: Record<string, string>): Promise<Check[]> {
  ctx.progress(`restarting n8n with ${Object.keys(env).join(', ')}`);
  await ctx.stack.replacePrimary({ env });
  const checks: Check[] = [];
  for (const [name, value] of Object.entries(env)) {
    const seen = await n8nEnv(ctx, name);
    checks.push(check(`n8n runs with ${name}=${value}`, seen === value, `printenv ${name} -> ${seen}`));
  }
  return checks;
}

/** Where a written-out config injects a key, the user puts their own there. */
export const INJECTED_KEY_PLACEHOLDER = 'PUT-AN-N8N-API-KEY-HERE';

const siteOf = (fault: ProxyScenario['fault'], injectedKey: string): SiteConfig => (typeof fault === 'function' ? fault(injectedKey) : fault);

/**
 * A proxy scenario: the key works straight on 5678 (decision tree Q2), the fault is a site config
 * reloaded at run time and shown live, the symptom is the same request through the proxy, and
 * each remedy is another site config (and, where it must be, n8n restarted with other env).
 */
export function proxyScenario(p: ProxyScenario): AnyScenario {
  const { proxy, fault, live, prepare, send: sent, requests: made, path, remedies, doctor, prefix, stack, lab, ...info } = p;
  const send = sent ?? keyHeader;
  const requests = made ?? ((ctx: ScenarioContext): ProxyRequest[] => [clientRequest(send(ctx), path)]);
  const labKind = labProxy(p);
  return defineScenario({
    ...info,
    stack: stack ?? PROXY_STACKS[proxy],
    fault: async (ctx) => {
      const direct = await sendKey(ctx, 'before the fault: the key straight to n8n on 5678');
      const injected = typeof fault === 'function' ? await proxyKey(ctx) : undefined;
      const proof = [
        check(
          'the key works when sent straight to n8n (decision tree Q2)',
          direct.outcome === 'accepted',
          direct.response ? `${direct.response.status} ${direct.response.body.slice(0, 120)}` : `not sent: ${direct.error}`,
        ),
        ...((await prepare?.(ctx, injected)) ?? []),
        ...(await applySite(ctx, typeof fault === 'function' ? fault(required(injected?.rawApiKey, 'the key the proxy injects')) : fault, live)),
      ];
      return { proof };
    },
    symptom: (ctx) => through(ctx, proxy, 'broken', requests(ctx)),
    // While the fault is still live.
    alongside: (ctx) => straight(ctx, 'broken', requests(ctx), prefix),
    remedies: remedies.map((r) => ({
      name: r.name,
      source: r.source,
      expect: r.expect,
      verify: r.verify,
      apply: async (ctx) => [...(r.n8nEnv ? await restartWithEnv(ctx, r.n8nEnv) : []), ...(await applySite(ctx, r.site, r.live ?? []))],
      probe: async (ctx) => {
        const after = r.send || r.path ? [clientRequest((r.send ?? send)(ctx), r.path ?? path)] : requests(ctx);
        return [...(await through(ctx, proxy, 'fixed', after)), ...(await straight(ctx, 'fixed', after, prefix))];
      },
    })),
    ...(labKind ? { lab: { proxy: labKind, faultyConfig: () => siteOf(fault, INJECTED_KEY_PLACEHOLDER).render() } } : {}),
    ...(doctor
      ? { doctor: { names: doctor, input: (ctx: ScenarioContext) => ({ proxyUrl: `${proxyOf(ctx, proxy).server.getBaseUrl()}${prefix ?? ''}` }) } }
      : {}),
  });
}

/**
 * A lab is a config the learner edits: its verified fix changes the site alone (no n8n env, not
 * the client's request), and the fault breaks something (not a default that may pass).
 */
function labProxy(p: ProxyScenario): 'nginx' | 'caddy' | undefined {
  if (p.lab === false) return undefined; // a lab runs one n8n: not a scenario that needs two
  const correct = p.remedies.filter((r) => r.source === 'correct');
  const verified = correct.length ? correct : p.remedies.filter((r) => r.source === 'guide');
  const configOnly = verified.every((r) => !r.n8nEnv && !r.inClient);
  const mayPass = typeof p.doctor === 'object' && 'among' in p.doctor;
  return p.proxy !== 'traefik' && configOnly && !mayPass ? p.proxy : undefined;
}

/** The guide's static-key injection on one proxy: its id and title, and the sites that inject and forward. */
export type StaticKeyScenario = Pick<ScenarioInfo, 'id' | 'title' | 'refusalKeepsOut'> & {
  proxy: ProxyKind;
  /** The site with a key injected by the proxy. */
  inject: (key: string) => SiteConfig;
  /** The site that forwards the client's own header instead. */
  forward: SiteConfig;
  live: Live[];
  forwardLive?: Live[];
};

/**
 * The guide's static-key injection (its Traefik example) on any proxy: requests without a key, or
 * with a wrong one, pass; forwarding the client's header refuses them and lets a real key through.
 */
export function staticKeyScenario(s: StaticKeyScenario): AnyScenario {
  const forward = (label: string, send: (ctx: ScenarioContext) => Headers, expect?: Outcome): ProxyRemedy => ({
    name: `forward the original header: ${label}`,
    source: 'guide',
    site: s.forward,
    live: s.forwardLive,
    send,
    expect,
  });
  return proxyScenario({
    id: s.id,
    title: s.title,
    refusalKeepsOut: s.refusalKeepsOut,
    proxy: s.proxy,
    guide: {
      section: '5',
      claim: 'the Traefik example: inject the key at the proxy (customrequestheaders x-n8n-api-key=YOUR_KEY)',
      fix: 'prefer forwarding the original header instead of injecting a static value',
    },
    predicts: { outcome: 'accepted' },
    fault: s.inject,
    live: s.live,
    requests: (ctx) => [
      { label: 'no key at all', headers: noKey() },
      { label: 'a wrong key', headers: wrongKey(ctx) },
    ],
    proveFromRequest: reached('n8n received a key the client never sent', (h) => hasHeader(h, API_KEY_HEADER)),
    remedies: [forward('a client without a key is refused', noKey, 'rejected'), forward('a client with its own key passes', keyHeader)],
    doctor: 'proxy-injects-key',
  });
}
