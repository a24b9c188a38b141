import { judgedOf, type Exchange } from '../../parts/client/exchange.ts';
import type { SiteConfig } from '../../parts/proxy/site-config.ts';
import { defineScenario } from '../../core/define.ts';
import { answeredBy, failed, happensOn } from '../../core/judgement.ts';
import { check, n8nEnv } from '../../core/probes.ts';
import type { AnyScenario, Check, DoctorVerdict, Judgement, Observation, Remedy, ScenarioContext, ScenarioInfo } from '../../core/types.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import { applySite, restartWithEnv, type Live } from '../proxy/support.ts';
import { CONNECTION_LOST, openEditorPush } from './push-editor.ts';
import { BROWSER_STACK, nginxOf } from './support.ts';

export type PushBackend = 'websocket' | 'sse';

/** n8n's SSE backend needs n8n started with it: a stack of its own, so no scenario restarts n8n for it. */
const STACKS: Record<PushBackend, StackSpec> = {
  websocket: BROWSER_STACK,
  sse: { name: 'browser-sse', proxies: ['nginx'], env: { N8N_PUSH_BACKEND: 'sse' } },
};

/** The editor through NGINX on localhost: a secure context, so n8n's Secure session cookie is kept over http. */
export function proxiedEditorUrl(ctx: ScenarioContext): string {
  return `http://localhost:${new URL(nginxOf(ctx).getBaseUrl()).port}`;
}

/** A proxy config and what the running config must show of it. */
interface PushSite {
  site: SiteConfig;
  live: Live[];
}

/** A fix: another site, and where it must be, n8n restarted with other env (put back after the scenario). */
export interface PushRemedy extends PushSite {
  name: string;
  /** The screenshot is named `fix-<slug>`. */
  slug: string;
  source: Remedy['source'];
  n8nEnv?: Record<string, string>;
}

/**
 * A push scenario: defineScenario's fields (its id written in full, `browser.push-sse-no-upgrade`)
 * and these: the backend, the faulty site, each fix another site. The doctor, told the editor shows
 * "Connection lost" (`--push`) and given NGINX's URL, must name `doctor`; else it is blind to it
 * (`doctorBlind`, default PUSH_BLIND).
 */
export type PushScenario = Omit<ScenarioInfo, 'predicts' | 'stack' | 'judge'> & {
  backend: PushBackend;
  fault: PushSite;
  /** Checks beyond the site's (n8n's env, say). */
  prove?: (ctx: ScenarioContext) => Promise<Check[]>;
  /** Each fix, with the slug its screenshot is named by (`fix-<slug>`). */
  remedies: PushRemedy[];
  doctor?: DoctorVerdict;
};

const says = (e: Exchange, text: string) => `${e.response?.body ?? ''}\n${e.error ?? ''}`.includes(text);

/**
 * The failure is the editor's push connection not connected at the end, or the editor showing
 * "Connection lost"; the claim holds where the editor showed it. What n8n answered (the
 * handshake's or stream's status, its frames, its log) is the evidence.
 */
export function judgePush(obs: Observation): Judgement {
  const judged = judgedOf(obs.symptom);
  const failing = judged.filter(failed);
  const shown = failing.length ? failing : judged;
  const logged = shown.flatMap((e) => e.n8nLog ?? []).filter((l) => /push|origin/i.test(l));
  return {
    ...happensOn(failing, judged),
    symptomMatches: failing.length > 0 && failing.every((e) => says(e, CONNECTION_LOST)),
    answered: answeredBy(shown),
    reasons: [
      ...shown.map((e) => `${e.label}: ${(e.response?.body ?? e.error ?? '').split('\n')[0]}`),
      ...(logged.length ? [`n8n logged: ${logged[0]!.slice(0, 200)}`] : []),
    ],
  };
}

async function backendProof(ctx: ScenarioContext, backend: PushBackend): Promise<Check> {
  const set = await n8nEnv(ctx, 'N8N_PUSH_BACKEND');
  return check(`n8n runs the ${backend} push backend`, (set || 'websocket') === backend, `printenv N8N_PUSH_BACKEND -> ${set || '(unset: websocket)'}`);
}

export const PUSH_BLIND =
  "n8n checks the session before it looks at the Upgrade or the Origin: without a signed-in browser's cookie every request to /rest/push gets 401, through a good proxy or a bad one; the doctor has an API key, no session";

/** A push scenario: NGINX reloaded with the fault's site (no n8n restart), the editor opened in Chromium through it, each fix another site. */
export function pushScenario({ backend, fault, prove, remedies, doctor, doctorBlind = PUSH_BLIND, ...info }: PushScenario): AnyScenario {
  return defineScenario({
    ...info,
    predicts: { outcome: 'other', says: CONNECTION_LOST },
    stack: STACKS[backend],
    fault: async (ctx) => ({
      proof: [await backendProof(ctx, backend), ...(await applySite(ctx, fault.site, fault.live)), ...((await prove?.(ctx)) ?? [])],
    }),
    symptom: async (ctx) => [await openEditorPush(ctx, proxiedEditorUrl(ctx), info.id, 'symptom')],
    judge: judgePush,
    remedies: remedies.map((r) => ({
      name: r.name,
      source: r.source,
      apply: async (ctx) => [...(r.n8nEnv ? await restartWithEnv(ctx, r.n8nEnv) : []), ...(await applySite(ctx, r.site, r.live))],
      probe: async (ctx) => [await openEditorPush(ctx, proxiedEditorUrl(ctx), info.id, `fix-${r.slug}`)],
    })),
    ...(doctor ? { doctor: { names: doctor, input: (ctx: ScenarioContext) => ({ proxyUrl: proxiedEditorUrl(ctx), push: true }) } } : { doctorBlind }),
  });
}
