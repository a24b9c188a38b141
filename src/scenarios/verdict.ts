import { describeExchange, judgedOf } from '../client/exchange.ts';
import type { Judgement, Observation, Prediction, RemedyObservation, Verdict, VerdictAnswers, VerdictKind } from './types.ts';
import { doctorSaid } from '../doctor/scenario-doctor.ts';
import { answeredBy, claimsItWorks, guideSaysOf } from './judgement.ts';
import { metricsLines } from '../metrics/observation.ts';

export { judgeByOutcome } from './judgement.ts';

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
export function answersOf(obs: Observation, judgement: Judgement, predicts: Prediction): VerdictAnswers {
  return {
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

function fixClause(a: VerdictAnswers): string {
  const verified = a.verifiedFix ? `"${a.verifiedFix}" fixes it` : 'no fix was verified';
  if (a.guideFix === 'resolves') return "the guide's fix works";
  if (a.guideFix === 'fails') return `the guide's fix fails, ${verified}`;
  return `the guide gives no fix; ${verified}`;
}

/** The headline in words a reader cannot misread. */
export function headlineText(kind: VerdictKind, a: VerdictAnswers): string {
  const real = a.happens === 'partly' ? `real only ${a.condition}` : 'real';
  switch (kind) {
    case 'does-not-happen':
      return `does not happen: answers ${a.answered}`;
    case 'works-as-the-guide-says':
      return `works as the guide says: ${a.answered}`;
    case 'fails-unlike-the-guide':
      return `fails${a.happens === 'partly' ? ` ${a.condition}` : ''}, unlike the guide says (${a.answered}); ${fixClause(a)}`;
    case 'as-the-guide-says':
    case 'guide-fix-fails':
      return `${real}, as the guide says (${a.answered}); ${fixClause(a)}`;
    case 'answers-otherwise':
    case 'answers-otherwise-guide-fix-fails':
      return `${real}; answers ${a.answered}, not ${a.guideSays}; ${fixClause(a)}`;
    default:
      return kind;
  }
}

/**
 * The verdict, from the recorded observation alone: the four answers, the headline they call for,
 * and `inconclusive` when the fault could not be shown to apply.
 */
export function computeVerdict(version: string, obs: Observation, judgement: Judgement, predicts: Prediction): Verdict {
  const failedProof = obs.faultProof.filter((c) => !c.ok);
  if (failedProof.length > 0) {
    const reasons = failedProof.map((c) => `fault not shown to apply: ${c.what} (${c.evidence})`);
    return {
      kind: 'inconclusive',
      headline: 'inconclusive: the fault was not shown to apply',
      summary: `n8n ${version}: inconclusive: ${reasons[0]}`,
      reasons,
    };
  }
  const answers = answersOf(obs, judgement, predicts);
  const kind = headlineKind(answers, claimsItWorks(predicts));
  const headline = headlineText(kind, answers);
  const failedFixes = obs.remedies
    .filter((r) => r.source === 'guide' && !r.resolved)
    .map((r) => `the guide's fix "${r.name}" did not resolve it: ${answeredBy(judgedOf(r.exchanges))}`);
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

/** The first words of an answer: `403`, `200 with the editor's page`, `n8n does not start`. */
const gist = (answer: string) =>
  [
    ...new Set(
      answer.split(' / ').map((one) =>
        one
          .split(/[:"(;]| saying /)[0]!
          .trim()
          .slice(0, 60),
      ),
    ),
  ].join(' / ');

/** The headline short enough for a table cell: the kind, with the statuses where the answer differs. */
export function briefHeadline(kind: VerdictKind | 'missing', a: VerdictAnswers | undefined): string {
  if (!a) return kind === 'not-runnable' ? 'not runnable here' : kind === 'missing' ? 'no result' : kind;
  const only = a.happens === 'partly' ? ' on some requests' : '';
  const status = /^\d{3}\b/.exec(a.answered)?.[0];
  const otherwise =
    status && a.guideSays.startsWith(`${status} saying`)
      ? `${status}, but not the text the guide quotes`
      : `answers ${gist(a.answered)}, not ${gist(a.guideSays)}`;
  switch (kind) {
    case 'as-the-guide-says':
      return `real${only}, as the guide says`;
    case 'answers-otherwise':
      return `real${only}; ${otherwise}`;
    case 'guide-fix-fails':
      return `real${only}; the guide's fix fails`;
    case 'answers-otherwise-guide-fix-fails':
      return `real${only}; ${otherwise}; the guide's fix fails`;
    case 'does-not-happen':
      return `does not happen (${gist(a.answered)})`;
    case 'works-as-the-guide-says':
      return 'works as the guide says';
    case 'fails-unlike-the-guide':
      return `fails${only}, unlike the guide (${gist(a.answered)})`;
    default:
      return kind;
  }
}

/** The four questions and their answers, a line each, for evidence blocks and JUnit output. */
export function answerLines(a: VerdictAnswers | undefined): string[] {
  if (!a) return [];
  const happens = a.happens === 'partly' ? `only ${a.condition}` : a.happens;
  const asSaid =
    a.answersAsGuideSays === null
      ? `not asked (it does not happen): ${a.answered}`
      : a.answersAsGuideSays
        ? `yes: ${a.answered}`
        : `no: ${a.answered}, not ${a.guideSays}`;
  const fix = a.guideFix === 'resolves' ? 'yes' : a.guideFix === 'fails' ? 'no' : 'the guide gives none';
  return [
    `does the failure happen: ${happens}`,
    `does it answer as the guide says: ${asSaid}`,
    `does the guide's fix resolve it: ${fix}`,
    `the fix this project verified: ${a.verifiedFix ? `"${a.verifiedFix}"` : 'none'}`,
  ];
}
