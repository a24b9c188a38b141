import { judgedOf, type Exchange } from '../../parts/client/exchange.ts';
import { N8nRequestError } from '../../parts/client/n8n-client.ts';
import { defineScenario, required } from '../../core/define.ts';
import { failed } from '../../core/judgement.ts';
import { check } from '../../core/probes.ts';
import type { AnyScenario, Check, DoctorVerdict, Remedy, ScenarioContext, ScenarioInfo } from '../../core/types.ts';
import type { FailureModeId } from '../../parts/diagnosis/modes.ts';
import type { StackSpec } from '../../parts/stack/stack-spec.ts';
import { DEFAULT_STACK } from '../stacks.ts';
import {
  callHook,
  createHookCredential,
  credentialData,
  type Hook,
  type HookCall,
  hookUrl,
  isActive,
  newSecrets,
  publishWorkflow,
  rightAuth,
  type WebhookAuth,
  webhookWorkflow,
} from './hooks.ts';

/** What a scenario's phases share: the hook as deployed, what n8n answered while setting it up, its values before an edit. */
export interface HookState {
  hook: Hook;
  setup: Exchange[];
  previous?: Hook['secrets'];
  /** The call the doctor is handed: the symptom's first refused one (else its first), then the last fix's. */
  doctorCall?: HookCall;
  doctorRefused?: boolean;
  fixedCall?: HookCall;
}

const WEBHOOK_MODES = [
  'webhook-not-registered',
  'webhook-method-not-registered',
  'webhook-auth-refused',
  'webhook-auth-unconfigured',
  'webhook-request-malformed',
] as const;

/** What the doctor must name, from the symptom's first refused call: n8n's status (and, for a 404, whether it names a method). */
function expectedWebhookMode(symptom: Exchange[]): DoctorVerdict {
  const refused = judgedOf(symptom).find(failed);
  const status = refused?.response?.status;
  if (!refused || status === undefined) return 'healthy';
  if (status === 404) return /for \w+ requests/.test(refused.response?.body ?? '') ? 'webhook-method-not-registered' : 'webhook-not-registered';
  if (status === 401 || status === 403) return 'webhook-auth-refused';
  if (status === 500) return 'webhook-auth-unconfigured';
  return status === 400 ? 'webhook-request-malformed' : 'healthy';
}

/** One call of the symptom: judged unless `context`; `proves` checks its recorded wire bytes. */
export interface HookProbe {
  call: (state: HookState) => Promise<HookCall> | HookCall;
  context?: true;
  proves?: { what: string; test: (wireLines: string[]) => boolean };
}

/** A fix: what it changes (if anything) and the call made after it. */
export interface HookRemedy {
  name: string;
  source: Remedy['source'];
  apply?: (ctx: ScenarioContext, state: HookState) => Promise<Check[]>;
  call: (state: HookState) => Promise<HookCall> | HookCall;
}

/**
 * A webhook scenario: defineScenario's fields (its id written in full, `webhooks.wrong-method`) and
 * these: the hook's authentication and set-up, the calls while broken, the fixes.
 */
export interface HookExtras {
  auth: WebhookAuth;
  /** `published` (default), `unpublished`, or `no-credential`: the node asks for authentication and names no credential (publication attempted). */
  setup?: 'published' | 'unpublished' | 'no-credential';
  /** The Header Auth value as the credential stores it, when not the generated one (pasted with a newline). */
  storedHeaderValue?: (value: string) => string;
  /** A change after publication (the credential edited, n8n's clock moved), with its proof. */
  alter?: (ctx: ScenarioContext, state: HookState) => Promise<Check[]>;
  /** Default: the one n8n most scenarios share. */
  stack?: StackSpec;
  /** What the doctor must name on the broken stack, when not the webhook's own answer (a root cause it sees first). */
  doctorNames?: FailureModeId;
  symptom: HookProbe[];
  remedies: HookRemedy[];
}

export type HookCase = Omit<ScenarioInfo, 'stack' | 'proveFromRequest'> & HookExtras;

/** The call that authenticates as the credential says, on the production URL. */
export const rightCall =
  (label: string) =>
  async ({ hook }: HookState): Promise<HookCall> => ({ label, headers: await rightAuth(hook) });

/** The fix most scenarios here verify: the call as the credential says. */
export const sendRightAuth = (name: string): HookRemedy => ({ name, source: 'guide', call: rightCall('the call as the credential says') });

const wireLines = (e: Exchange): string[] => (e.request.wire ?? '').split('\\r\\n');

async function deployHook(ctx: ScenarioContext, c: HookCase): Promise<{ state: HookState; proof: Check[] }> {
  const secrets = newSecrets();
  // One path per scenario, the same on every run: n8n quotes it in its 404s, and a random one would
  // make `authlab diff` report a changed answer between any two runs.
  const path = `authlab-${c.id.slice('webhooks.'.length)}`;
  const withCredential = c.auth !== 'none' && c.setup !== 'no-credential';
  const credentialId = withCredential
    ? await createHookCredential(
        ctx,
        c.auth as Exclude<WebhookAuth, 'none'>,
        credentialData(c.auth as Exclude<WebhookAuth, 'none'>, secrets, c.storedHeaderValue?.(secrets.headerValue)),
      )
    : undefined;
  const created = await ctx.n8n.client.publicApi('POST', '/workflows', ctx.n8n.apiKey.rawApiKey, webhookWorkflow(path, c.auth, credentialId));
  if (created.status !== 200) throw new N8nRequestError('creating the webhook workflow failed', created);
  const hook: Hook = { id: String((created.json as { id: string }).id), path, auth: c.auth, credentialId, secrets };
  const state: HookState = { hook, setup: [] };
  if ((c.setup ?? 'published') !== 'unpublished') state.setup.push(await publishWorkflow(ctx, hook));
  const altered = (await c.alter?.(ctx, state)) ?? [];
  return { state, proof: [await setupProof(ctx, c, hook), ...altered] };
}

/** The set-up the case asked for, read back from n8n. */
async function setupProof(ctx: ScenarioContext, c: HookCase, hook: Hook): Promise<Check> {
  const { active, evidence } = await isActive(ctx, hook.id);
  const setup = c.setup ?? 'published';
  if (setup === 'published') return check('the webhook workflow is published (active)', active, evidence);
  if (setup === 'unpublished') return check('the webhook workflow exists and is not published (inactive)', !active, evidence);
  // Whether n8n publishes such a workflow is its behaviour (shown in the symptom), not the fault.
  return check(
    `the Webhook node asks for ${c.auth} and names no credential`,
    hook.credentialId === undefined,
    `created with authentication ${c.auth} and no credentials; ${evidence}`,
  );
}

/** A webhook scenario from its data: one deploy, the calls, the fixes, the same stack for all. */
export function hookScenario(c: HookCase): AnyScenario {
  const { auth, setup, storedHeaderValue, alter, stack, doctorNames, symptom: probes, remedies, ...info } = c;
  const probesOf = (state: HookState) => Promise.all(probes.map(async (p) => ({ probe: p, call: await p.call(state) })));
  return defineScenario<HookState>({
    ...info,
    stack: stack ?? DEFAULT_STACK,
    fault: (ctx) => deployHook(ctx, c),
    symptom: async (ctx, state) => {
      const out: Exchange[] = [...state.setup];
      for (const { probe, call } of await probesOf(state)) {
        const e = await callHook(ctx, state.hook, call);
        out.push(probe.context ? { ...e, context: true } : e);
        if (!probe.context && (!state.doctorCall || (failed(e) && !state.doctorRefused))) {
          state.doctorCall = call;
          state.doctorRefused = failed(e);
        }
      }
      return out;
    },
    proveFromRequest: (symptom) =>
      probes.flatMap((p, i) => {
        if (!p.proves) return [];
        const e = symptom.filter((x) => x.via === 'raw-socket')[i];
        const lines = e ? wireLines(e) : [];
        return [
          check(
            p.proves.what,
            p.proves.test(lines),
            lines
              .slice(0, 1)
              .concat(lines.filter((l) => /^(x-hook-token|authorization):/i.test(l)))
              .join(' | '),
          ),
        ];
      }),
    remedies: remedies.map(
      (r): Remedy<HookState> => ({
        name: r.name,
        source: r.source,
        ...(r.apply ? { apply: r.apply } : {}),
        probe: async (ctx, state) => {
          state.fixedCall = await r.call(state);
          return [await callHook(ctx, state.hook, state.fixedCall)];
        },
      }),
    ),
    doctor: {
      names: doctorNames ?? { among: [...WEBHOOK_MODES, 'healthy'], decide: expectedWebhookMode },
      input: (ctx, phase, state) => {
        const call = required(phase === 'fixed' ? (state.fixedCall ?? state.doctorCall) : state.doctorCall, 'the webhook call for the doctor');
        return { webhook: { url: hookUrl(ctx, state.hook, call), method: call.method ?? 'GET', headers: call.headers ?? [] } };
      },
    },
  });
}
