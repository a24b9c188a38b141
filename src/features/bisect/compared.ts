import type { ScenarioResult } from '../../core/types.ts';
import { behaviourOf } from '../../engine/report/ledger.ts';

/**
 * What a bisect compares between releases, from the scenario's result as its ledger cell holds it:
 * - `answers` (default): the verdict's answers, the fields `happens`, `answersAsGuideSays`,
 *   `guideFix` and `verifiedFix` of the cell's `answers` (the four questions: does the failure
 *   happen; does n8n answer as the guide says; does the guide's fix resolve it; which fix was
 *   verified). What n8n answered (`answered`) is printed, not compared: it holds counts and
 *   timestamps that differ from run to run.
 * - `behaviour`: the cell's `behaviour` signature, the status and outcome of each symptom exchange
 *   (`401 rejected; 401 rejected`). It misses a change of text under the same status, and for a
 *   scenario whose requests land on random workers it differs from run to run.
 */
export const COMPARED = ['answers', 'behaviour'] as const;
export type Compared = (typeof COMPARED)[number];

export const COMPARED_FIELDS: Record<Compared, string> = {
  answers: 'answers.happens, answers.answersAsGuideSays, answers.guideFix, answers.verifiedFix',
  behaviour: 'behaviour',
};

/** The compared string of a result; undefined when the result has no answers to compare (not judged). */
export function comparedBehaviour(result: ScenarioResult, by: Compared): string | undefined {
  if (by === 'behaviour') return behaviourOf(result.observation.symptom);
  const a = result.verdict.answers;
  if (!a) return undefined;
  return `happens=${a.happens} answersAsGuideSays=${a.answersAsGuideSays} guideFix=${a.guideFix} verifiedFix=${a.verifiedFix === null ? 'none' : JSON.stringify(a.verifiedFix)}`;
}
