import type { AnyScenario, BrokenScenario, Fault, Scenario, ScenarioContext } from './types.ts';

/** The family a scenario id names: the part before its first dot. */
function familyOfId(id: string): string {
  const dot = id.indexOf('.');
  if (dot <= 0) throw new Error(`scenario id ${id} does not start with its family (family.name)`);
  return id.slice(0, dot);
}

/**
 * A scenario with its state type hidden, for a list of scenarios of different states: its state
 * goes from its fault to its later phases inside `applyFault`, typed end to end.
 */
export function defineScenario<S = void>(scenario: Scenario<S>): AnyScenario {
  const { fault, symptom, alongside, remedies, doctor, ...info } = scenario;
  return {
    ...info,
    family: familyOfId(scenario.id),
    remedies: remedies.map(({ name, source }) => ({ name, source })),
    ...(doctor ? { doctor: { names: doctor.names } } : {}),
    hasFault: fault !== undefined,
    applyFault: (ctx) => applyFault(scenario, ctx),
  };
}

async function applyFault<S>(scenario: Scenario<S>, ctx: ScenarioContext): Promise<BrokenScenario> {
  // A scenario with a state has a fault (its type requires it): without one, the state is void.
  const fault = (scenario as { fault?: Fault<S> }).fault;
  const faulted = fault ? await fault(ctx) : { proof: [], state: undefined };
  const state = faulted.state as S;
  return {
    proof: faulted.proof,
    symptom: () => scenario.symptom(ctx, state),
    alongside: async () => (await scenario.alongside?.(ctx, state)) ?? [],
    remedies: scenario.remedies.map((r) => ({
      name: r.name,
      source: r.source,
      expect: r.expect,
      apply: async () => (await r.apply?.(ctx, state)) ?? [],
      probe: () => r.probe(ctx, state),
      verify: (exchanges) => r.verify?.(exchanges, state) ?? [],
    })),
    doctorInput: (phase) => scenario.doctor?.input?.(ctx, phase, state) ?? {},
    state,
  };
}

/** A value a later phase needs and an earlier one may not have produced: missing, it throws (naming it), never goes on as ''. */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null || value === '') throw new Error(`${what} is missing`);
  return value;
}
