import { randomUUID } from 'node:crypto';
import type { Exchange } from '../../client/exchange.ts';
import { N8nRequestError } from '../../client/n8n-client.ts';
import { defineScenario } from '../../scenarios/define.ts';
import { check } from '../../scenarios/probes.ts';
import type { AnyScenario, Check, Prediction, Remedy, ScenarioContext } from '../../scenarios/types.ts';
import { DEFAULT_STACK } from '../stacks.ts';
import {
  callHook,
  createHookCredential,
  credentialData,
  type Hook,
  type HookCall,
  isActive,
  newSecrets,
  publishWorkflow,
  rightAuth,
  type WebhookAuth,
  webhookWorkflow,
} from './hooks.ts';

/**
 * The doctor checks n8n's API key and what its executions say; a webhook's URL, method and its
 * node's authentication are outside what it is given, and a refused webhook call saves no execution.
 */
export const WEBHOOK_BLIND =
  "the fault lives in the webhook call or the Webhook node's settings: the doctor is given n8n's URL and an API key, not a webhook URL, and a refused webhook call leaves no execution to read";

/** What a scenario's phases share: the hook as deployed, what n8n answered while setting it up, its values before an edit. */
export interface HookState {
  hook: Hook;
  setup: Exchange[];
  previous?: Hook['secrets'];
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

/** A webhook scenario as data: the hook's authentication and set-up, the calls while broken, the fixes. */
export interface HookCase {
  name: string;
  title: string;
  claim: string;
  fix: string;
  predicts: Prediction;
  auth: WebhookAuth;
  /** `published` (default), `unpublished`, or `no-credential`: the node asks for authentication and names no credential (publication attempted). */
  setup?: 'published' | 'unpublished' | 'no-credential';
  /** The Header Auth value as the credential stores it, when not the generated one (pasted with a newline). */
  storedHeaderValue?: (value: string) => string;
  /** A change after publication (the credential edited), with its proof. */
  alter?: (ctx: ScenarioContext, state: HookState) => Promise<Check[]>;
  symptom: HookProbe[];
  remedies: HookRemedy[];
}

/** The call that authenticates as the credential says, on the production URL. */
export const rightCall =
  (label: string) =>
  async ({ hook }: HookState): Promise<HookCall> => ({ label, headers: await rightAuth(hook) });

/** The fix most scenarios here verify: the call as the credential says. */
export const sendRightAuth = (name: string): HookRemedy => ({ name, source: 'guide', call: rightCall('the call as the credential says') });

const wireLines = (e: Exchange): string[] => (e.request.wire ?? '').split('\\r\\n');

async function deployHook(ctx: ScenarioContext, c: HookCase): Promise<{ state: HookState; proof: Check[] }> {
  const secrets = newSecrets();
  const path = `authlab-hook-${randomUUID().slice(0, 8)}`;
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
  const probesOf = (state: HookState) => Promise.all(c.symptom.map(async (p) => ({ probe: p, call: await p.call(state) })));
  return defineScenario<HookState>({
    id: `webhooks.${c.name}`,
    title: c.title,
    guide: { section: 'not in the guide', claim: c.claim, fix: c.fix },
    predicts: c.predicts,
    stack: DEFAULT_STACK,
    fault: (ctx) => deployHook(ctx, c),
    symptom: async (ctx, state) => {
      const out: Exchange[] = [...state.setup];
      for (const { probe, call } of await probesOf(state)) {
        const e = await callHook(ctx, state.hook, call);
        out.push(probe.context ? { ...e, context: true } : e);
      }
      return out;
    },
    proveFromRequest: (symptom) =>
      c.symptom.flatMap((p, i) => {
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
    remedies: c.remedies.map(
      (r): Remedy<HookState> => ({
        name: r.name,
        source: r.source,
        ...(r.apply ? { apply: r.apply } : {}),
        probe: async (ctx, state) => [await callHook(ctx, state.hook, await r.call(state))],
      }),
    ),
    doctorBlind: WEBHOOK_BLIND,
  });
}
