import type { Exchange, Outcome } from '../../parts/client/exchange.ts';
import { defineScenario, required } from '../../core/define.ts';
import { check } from '../../core/probes.ts';
import type { AnyScenario, Check, DoctorExpectation, Remedy, ScenarioContext, ScenarioInfo } from '../../core/types.ts';
import type { StackSpec } from '../../parts/stack/stack-spec.ts';
import { DEFAULT_STACK } from '../stacks.ts';
import { callTrigger, deployTrigger, type Trigger, type TriggerCall, type TriggerSpec } from './triggers.ts';

/** What a scenario's phases share: the trigger as deployed (a fix may deploy another). */
export interface TriggerState {
  trigger: Trigger;
  /** The trigger as the fault deployed it, kept when a fix deploys another. */
  deployed: Trigger;
  /** The call the doctor is handed: the symptom's first judged one, then the last fix's. */
  doctorCall?: TriggerCall;
  fixedCall?: TriggerCall;
}

/** One call of the symptom; `proves` checks its recorded wire lines (the fault in the request itself). */
export interface TriggerProbe {
  call: (ctx: ScenarioContext, trigger: Trigger) => TriggerCall;
  /** Shown with the evidence, not judged (a GET's redirect beside the judged POST). */
  context?: true;
  proves?: { what: string; test: (wireLines: string[]) => boolean };
}

/** A fix: what it changes (if anything), the call after it, and what that call must get (default: let in). */
export type TriggerRemedy = {
  name: string;
  source: Remedy['source'];
  apply?: (ctx: ScenarioContext, state: TriggerState) => Promise<Check[]>;
  expect?: Outcome;
} & (
  | { call: (ctx: ScenarioContext, trigger: Trigger) => TriggerCall }
  /** Several requests instead of one call (a signed-in browser following n8n's redirects), the judged one last; the doctor is not handed them. */
  | { walk: (ctx: ScenarioContext, state: TriggerState) => Promise<Exchange[]> }
);

/** A Form or Chat Trigger scenario: defineScenario's fields (its id in full) and the trigger, the calls while broken, the fixes. */
export type TriggerCase = Omit<ScenarioInfo, 'stack' | 'proveFromRequest' | 'doctorBlind'> & {
  trigger: Omit<TriggerSpec, 'path'>;
  /** Default: the one n8n most scenarios share; the triggers need nothing else. */
  stack?: StackSpec;
  symptom: TriggerProbe[];
  remedies: TriggerRemedy[];
  /** Reads which node version to deploy from n8n, with its proof (a prerequisite where a version lacks the authentication). */
  nodeVersion?: (ctx: ScenarioContext) => Promise<{ typeVersion: number; proof: Check }>;
} & ({ doctorNames: DoctorExpectation['names'] } | { doctorBlind: string });

const wireLines = (e: Exchange): string[] => (e.request.wire ?? '').split('\\r\\n');

interface StoredNode {
  type?: string;
  typeVersion?: number;
  parameters?: { authentication?: string };
}

/** The trigger as n8n stores and runs it, read back: active, its node version and authentication. */
export async function triggerProof(ctx: ScenarioContext, trigger: Trigger): Promise<Check[]> {
  const answer = await ctx.n8n.client.publicApi('GET', `/workflows/${trigger.workflowId}`, ctx.n8n.apiKey.rawApiKey);
  const json = answer.json as { active?: boolean; nodes?: StoredNode[] } | undefined;
  const node = json?.nodes?.[0];
  const auth = node?.parameters?.authentication;
  const served = trigger.served ?? { served: false, last: 'not polled' };
  return [
    check(`n8n serves the ${trigger.kind}'s URL (anything but 404)`, served.served, `GET ${trigger.url}: ${served.last}`),
    check(
      `the ${trigger.kind} trigger is active, version ${trigger.typeVersion}, authentication ${trigger.auth}`,
      json?.active === true && node?.typeVersion === trigger.typeVersion && auth === trigger.auth,
      `GET /api/v1/workflows/${trigger.workflowId}: ${answer.status}, active ${String(json?.active)}, ${node?.type} v${node?.typeVersion}, authentication ${auth}`,
    ),
  ];
}

/** A trigger scenario from its data: one deploy, the calls, the fixes, on the shared stack. */
export function triggerScenario(c: TriggerCase): AnyScenario {
  const { trigger: spec, stack, symptom: probes, remedies, nodeVersion, ...rest } = c;
  const { doctorNames, doctorBlind, ...info } = { doctorNames: undefined, doctorBlind: undefined, ...rest };
  return defineScenario<TriggerState>({
    ...info,
    stack: stack ?? DEFAULT_STACK,
    fault: async (ctx) => {
      const version = nodeVersion ? await nodeVersion(ctx) : undefined;
      // One path per scenario, the same on every run: `authlab diff` compares the answers that quote it.
      const path = `authlab-${info.id.slice('forms.'.length)}`;
      const trigger = await deployTrigger(ctx, { ...spec, ...(version ? { typeVersion: version.typeVersion } : {}), path });
      return { proof: [...(version ? [version.proof] : []), ...(await triggerProof(ctx, trigger))], state: { trigger, deployed: trigger } };
    },
    symptom: async (ctx, state) => {
      const out: Exchange[] = [];
      for (const p of probes) {
        const call = p.call(ctx, state.trigger);
        if (!p.context) state.doctorCall ??= call;
        const e = await callTrigger(ctx, state.trigger, call);
        out.push(p.context ? { ...e, context: true } : e);
      }
      return out;
    },
    proveFromRequest: (symptom) =>
      probes.flatMap((p, i) => {
        if (!p.proves) return [];
        const lines = symptom[i] ? wireLines(symptom[i]) : [];
        const shown = lines.slice(0, 1).concat(lines.filter((l) => /^(authorization|cookie):/i.test(l)));
        return [check(p.proves.what, p.proves.test(lines), shown.join(' | '))];
      }),
    remedies: remedies.map(
      (r): Remedy<TriggerState> => ({
        name: r.name,
        source: r.source,
        ...(r.apply ? { apply: r.apply } : {}),
        ...(r.expect ? { expect: r.expect } : {}),
        probe: async (ctx, state) => {
          if ('walk' in r) return r.walk(ctx, state);
          state.fixedCall = r.call(ctx, state.trigger);
          return [await callTrigger(ctx, state.trigger, state.fixedCall)];
        },
      }),
    ),
    ...(doctorNames
      ? {
          doctor: {
            names: doctorNames,
            input: (_ctx, phase, state) => {
              const call = required(phase === 'fixed' ? (state.fixedCall ?? state.doctorCall) : state.doctorCall, 'the trigger call for the doctor');
              return { webhook: { url: state.trigger.url, method: call.method, headers: call.headers ?? [] } };
            },
          },
        }
      : { doctorBlind: required(doctorBlind, "why the doctor cannot see the trigger's fault") }),
  });
}
