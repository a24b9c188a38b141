import { describeExchange, judgedOf, timedOut } from '../parts/client/exchange.ts';
import type { Judgement, Observation, Prediction, RemedyObservation, Verdict, VerdictAnswers, VerdictKind } from './types.ts';
import { doctorSaid } from './scenario-doctor.ts';
import { answeredBy, claimsItWorks, guideSaysOf } from './judgement.ts';
import { type GuideRef, NOT_IN_GUIDE } from './guide-sections.ts';
import { metricsLines } from '../parts/metrics/observation.ts';
import { headlineText, wordsFor } from './headline.ts';

export { judgeByOutcome } from './judgement.ts';
export { answerLines, briefHeadline } from './headline.ts';

/** The fix this project verified: the first of its own fixes that resolved the fault, else the guide's. */
function verifiedFixOf(remedies: RemedyObservation[]): string | null {
  const resolved = (source: RemedyObservation['source']) => remedies.find((r) => r.source === source && r.resolved);
  return (resolved('correct') ?? resolved('guide'))?.name ?? null;
}

function guideFixOf(remedies: RemedyObservation[]): VerdictAnswers['guideFix'] {
  const guide = remedies.filter((r) => r.source === 'guide');
  if (guide.length === 0) return 'none-given';
  return guide.every((r) => r.resolved) ? 'resolves' : 'fails';
}

/** The four answers, from the judgement and the recorded fixes. */
function answersOf(obs: Observation, judgement: Judgement, predicts: Prediction, section: GuideRef): VerdictAnswers {
  return {
    ...(section === NOT_IN_GUIDE ? { claimedBy: 'users' as const } : {}),
    happens: judgement.happens,
    ...(judgement.condition ? { condition: judgement.condition } : {}),
    answersAsGuideSays: judgement.happens === 'no' && !claimsItWorks(predicts) ? null : judgement.symptomMatches,
    guideSays: guideSaysOf(predicts),
    answered: judgement.answered,
    guideFix: guideFixOf(obs.remedies),
    verifiedFix: verifiedFixOf(obs.remedies),
  };
}

/** Which headline the answers call for. A failure that happens never gets `does-not-happen`. */
export function headlineKind(a: VerdictAnswers, itWorksClaim: boolean): VerdictKind {
  if (itWorksClaim) return a.happens === 'no' ? 'works-as-the-guide-says' : 'fails-unlike-the-guide';
  if (a.happens === 'no') return 'does-not-happen';
  const fixFails = a.guideFix === 'fails';
  if (a.answersAsGuideSays) return fixFails ? 'guide-fix-fails' : 'as-the-guide-says';
  return fixFails ? 'answers-otherwise-guide-fix-fails' : 'answers-otherwise';
}

/**
 * The verdict, from the recorded observation alone: the four answers, the headline they call for,
 * and `inconclusive` when the fault could not be shown to apply.
 */
export function computeVerdict(version: string, obs: Observation, judgement: Judgement, predicts: Prediction, section: GuideRef): Verdict {
  const failedProof = obs.faultProof.filter((c) => !c.ok);
  if (failedProof.length > 0 && failedProof.every((c) => c.prerequisite)) {
    const reasons = failedProof.map((c) => `this version lacks what the fault needs: ${c.what} (${c.evidence})`);
    return {
      kind: 'not-runnable',
      headline: `not runnable on n8n ${version}: the fault cannot exist there`,
      summary: `n8n ${version}: not runnable on this version: ${reasons[0]}`,
      reasons,
    };
  }
  if (failedProof.length > 0) {
    const reasons = failedProof.map((c) => `fault not shown to apply: ${c.what} (${c.evidence})`);
    return {
      kind: 'inconclusive',
      headline: 'inconclusive: the fault was not shown to apply',
      summary: `n8n ${version}: inconclusive: ${reasons[0]}`,
      reasons,
    };
  }
  // A judged request that got no answer in time says nothing of n8n: its verdict would pass for a refusal or a failed fix.
  const late = [...judgedOf(obs.symptom), ...obs.remedies.flatMap((r) => judgedOf(r.exchanges))].find(timedOut);
  if (late) {
    const reason = `"${late.label}" got no answer in time (${late.error}): a loaded machine or an n8n still starting, not an answer`;
    return {
      kind: 'inconclusive',
      headline: 'inconclusive: a request got no answer in time',
      summary: `n8n ${version}: inconclusive: ${reason}`,
      reasons: [reason],
    };
  }
  const answers = answersOf(obs, judgement, predicts, section);
  const kind = headlineKind(answers, claimsItWorks(predicts));
  const headline = headlineText(kind, answers);
  const failedFixes = obs.remedies
    .filter((r) => r.source === 'guide' && !r.resolved)
    .map((r) => `${wordsFor(answers).fix} "${r.name}" did not resolve it: ${answeredBy(judgedOf(r.exchanges))}`);
  const reasons = [...judgement.reasons, ...failedFixes];
  return { kind, headline, answers, summary: `n8n ${version}: ${headline}`, reasons };
}

export function evidenceLines(obs: Observation): string[] {
  return [
    ...obs.faultProof.map((c) => `${c.ok ? 'proof' : 'PROOF FAILED'}: ${c.what}: ${c.evidence}`),
    ...obs.symptom.map((e) => `symptom: ${describeExchange(e)}`),
    ...obs.alongside.map((e) => `alongside: ${describeExchange(e)}`),
    ...obs.remedies.flatMap((r) => [
      ...r.checks.filter((c) => !c.ok).map((c) => `${r.source} fix "${r.name}": check failed: ${c.what}: ${c.evidence}`),
      ...r.exchanges.map((e) => `${r.source} fix "${r.name}"${r.resolved ? '' : ' (did not resolve)'}: ${describeExchange(e)}`),
    ]),
    ...(obs.doctor ? [`doctor on the broken stack (expected ${obs.doctor.expected}): ${doctorSaid(obs.doctor.broken)}`] : []),
    ...(obs.doctor?.fixed ? [`doctor after "${obs.doctor.fixed.after}": ${doctorSaid(obs.doctor.fixed)}`] : []),
    ...metricsLines(obs.metrics).map((l) => `n8n's metrics: ${l}`),
  ];
}
