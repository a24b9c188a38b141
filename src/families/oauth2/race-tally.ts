import type { Exchange } from '../../parts/client/exchange.ts';
import type { Judgement, Observation } from '../../core/types.ts';
import { recordedTokenLines } from './support.ts';
import { countTokenLines } from './token-events.ts';

/** The label of a race try's executions: `try <n>` is what the tally groups by. */
export const tryLabel = (n: number, of: number) => `try ${n} of ${of}: two executions at once, the access token expired`;

/** How the tries of a race went: per try, whether an execution failed, and the first error. */
export interface RaceTally {
  tries: number;
  lost: number;
  errors: string[];
}

/** Groups the judged executions by their try and counts the tries in which one failed. */
export function raceTally(judged: Exchange[]): RaceTally {
  const byTry = new Map<string, Exchange[]>();
  for (const e of judged) {
    const key = /^try (\d+) of/.exec(e.label)?.[1];
    if (key) byTry.set(key, [...(byTry.get(key) ?? []), e]);
  }
  const failedTries = [...byTry.values()].filter((runs) => runs.some((e) => e.outcome !== 'accepted'));
  const errors = failedTries.map((runs) => {
    const failed = runs.find((e) => e.outcome !== 'accepted')!;
    const saved = JSON.parse(failed.response?.body ?? '{}') as { error?: { message?: string } };
    return saved.error?.message ?? failed.outcome;
  });
  return { tries: byTry.size, lost: failedTries.length, errors };
}

/** The race's verdict from its recording: lost in every try (yes), in some (partly), in none (no); the tally and the provider's refusals in words. */
export function judgeRace(obs: Observation): Judgement {
  const judged = obs.symptom.filter((e) => !e.context);
  const tally = raceTally(judged);
  const lines = recordedTokenLines(obs.symptom);
  const counts = countTokenLines(lines);
  const refused = lines.filter((l) => / grant\.error refresh_token\b/.test(l));
  const happens = tally.lost === 0 ? 'no' : tally.lost === tally.tries ? 'yes' : 'partly';
  const answered =
    `lost ${tally.lost} of ${tally.tries} tries` +
    (tally.errors[0] ? ` (the failed execution: "${tally.errors[0].slice(0, 120)}")` : '') +
    `; the provider gave ${counts.refreshes} refresh grant(s) and refused ${counts.refused}` +
    (refused[0] ? ` ("${refused[0].slice(0, 160)}")` : '');
  return {
    happens,
    ...(happens === 'partly' ? { condition: `in ${tally.lost} of ${tally.tries} tries` } : {}),
    symptomMatches: tally.lost > 0 && counts.refused > 0,
    answered,
    reasons: tally.tries === 0 ? ['no try was recorded'] : [],
  };
}
