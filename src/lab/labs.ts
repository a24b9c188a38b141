import { scenarios, UnknownSelectionError, type CatalogueScenario } from '../scenarios/catalogue.ts';
import type { AnyScenario, RemedyInfo } from '../scenarios/types.ts';
import type { LabState } from './lab-state.ts';

export type LabScenario = CatalogueScenario & { lab: NonNullable<AnyScenario['lab']> };

/** The scenarios a learner can break and fix by hand: their fault lives in a config file they edit. */
export function labScenarios(): LabScenario[] {
  return scenarios.filter((s): s is LabScenario => s.lab !== undefined);
}

export function labScenario(id: string): LabScenario {
  const lab = labScenarios().find((s) => s.id === id);
  if (!lab)
    throw new UnknownSelectionError(
      'lab',
      [id],
      labScenarios().map((s) => s.id),
    );
  return lab;
}

/** The fix a learner should end up with: the one the catalogue verified. */
export function verifiedRemedies<R extends RemedyInfo>(remedies: R[]): R[] {
  const correct = remedies.filter((r) => r.source === 'correct');
  return correct.length ? correct : remedies.filter((r) => r.source === 'guide');
}

/** The curl a learner runs to see the symptom, with the key read from its file. */
export function symptomCommand(state: Pick<LabState, 'keyFile' | 'proxyUrl'>): string {
  return `curl -s -H "X-N8N-API-KEY: $(cat ${state.keyFile})" ${state.proxyUrl}/api/v1/workflows`;
}

/** The hint ladder: from where to look, through what the guide says, to the fix the catalogue verified. */
export function hintLadder(scenario: AnyScenario, state: LabState): string[] {
  return [
    `Send the same key straight to n8n: curl -s -H "X-N8N-API-KEY: $(cat ${state.keyFile})" ${state.n8nUrl}/api/v1/workflows. Works there, fails through the proxy? Then the proxy changes the request (the guide's decision tree, Q2).`,
    `Ask the doctor: authlab doctor --url ${state.n8nUrl} --proxy-url ${state.proxyUrl} --key-file ${state.keyFile}`,
    `Read the config the proxy runs (docker exec ${state.proxyContainer} nginx -T) and compare it with the guide, section ${scenario.guide.section}: "${scenario.guide.claim}"; its fix: ${scenario.guide.fix || 'none given'}.`,
    `The fix the catalogue verified: ${verifiedRemedies(scenario.remedies)
      .map((r) => r.name)
      .join('; ')}.`,
  ];
}
