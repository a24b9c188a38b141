import { inGuideOrder, type GuideRef } from './guide-sections.ts';
import type { AnyScenario } from './types.ts';

/** A family of scenarios: its title, the guide sections its scenarios cite, and the scenarios. */
export interface Family<F extends string = string> {
  id: F;
  title: string;
  /** Computed from the scenarios, in the guide's order. */
  sections: GuideRef[];
  scenarios: Array<AnyScenario & { family: F }>;
}

/** A family from its scenarios; each id must start with `<id>.` (the id is where a scenario's family is written). */
export function defineFamily<F extends string>(id: F, title: string, scenarios: AnyScenario[]): Family<F> {
  const strays = scenarios.filter((s) => s.family !== id).map((s) => s.id);
  if (strays.length) throw new Error(`family ${id} holds scenarios whose id does not start with "${id}.": ${strays.join(', ')}`);
  return { id, title, sections: inGuideOrder(scenarios.map((s) => s.guide.section)), scenarios: scenarios as Array<AnyScenario & { family: F }> };
}
