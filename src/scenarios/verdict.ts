import { describeExchange, judgedOf, timedOut } from '../client/exchange.ts';
import type { Judgement, Observation, Prediction, RemedyObservation, Verdict, VerdictAnswers, VerdictKind } from './types.ts';
import { doctorSaid } from '../doctor/scenario-doctor.ts';
import { answeredBy, claimsItWorks, guideSaysOf } from './judgement.ts';
import { type GuideRef, NOT_IN_GUIDE } from './guide-sections.ts';
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
function headlineKind(a: VerdictAnswers, itWorksClaim: boolean): VerdictKind {
  if (itWorksClaim) return a.happens === 'no' ? 'works-as-the-guide-says' : 'fails-unlike-the-guide';
  if (a.happens === 'no') return 'does-not-happen';
  const fixFails = a.guideFix === 'fails';
  if (a.answersAsGuideSays) return fixFails ? 'guide-fix-fails' : 'as-the-guide-says';
  return fixFails ? 'answers-otherwise-guide-fix-fails' : 'answers-otherwise';
}

/** How the words name the claim: the guide's, or (for a failure mode the guide does not cover) what users are told. */
function wordsFor(a: Pick<VerdictAnswers, 'claimedBy'>) {
  return a.claimedBy === 'users'
    ? {
        asSaid: 'as claimed',
        unlike: 'unlike the claim',
        unlikeBrief: 'unlike the claim',
        fix: 'the usual fix',
        noFix: 'no usual fix is claimed',
        noneGiven: 'none claimed',
        quoted: 'the text claimed',
      }
    : {
        asSaid: 'as the guide says',
        unlike: 'unlike the guide says',
        unlikeBrief: 'unlike the guide',
        fix: "the guide's fix",
        noFix: 'the guide gives no fix',
        noneGiven: 'the guide gives none',
        quoted: 'the text the guide quotes',
      };
}

function fixClause(a: VerdictAnswers): string {
  const w = wordsFor(a);
  const verified = a.verifiedFix ? `"${a.verifiedFix}" fixes it` : 'no fix was verified';
  if (a.guideFix === 'resolves') return `${w.fix} works`;
  if (a.guideFix === 'fails') return `${w.fix} fails, ${verified}`;
  return `${w.noFix}; ${verified}`;
}

/** The headline in words a reader cannot misread. */
function headlineText(kind: VerdictKind, a: VerdictAnswers): string {
  const real = a.happens === 'partly' ? `real only ${a.condition}` : 'real';
  const w = wordsFor(a);
  switch (kind) {
    case 'does-not-happen':
      return `does not happen: answers ${a.answered}`;
    case 'works-as-the-guide-says':
      return `works ${w.asSaid}: ${a.answered}`;
    case 'fails-unlike-the-guide':
      return `fails${a.happens === 'partly' ? ` ${a.condition}` : ''}, ${w.unlike} (${a.answered}); ${fixClause(a)}`;
    case 'as-the-guide-says':
    case 'guide-fix-fails':
      return `${real}, ${w.asSaid} (${a.answered}); ${fixClause(a)}`;
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
  const w = wordsFor(a);
  const status = /^\d{3}\b/.exec(a.answered)?.[0];
  const otherwise =
    status && a.guideSays.startsWith(`${status} saying`) ? `${status}, but not ${w.quoted}` : `answers ${gist(a.answered)}, not ${gist(a.guideSays)}`;
  switch (kind) {
    case 'as-the-guide-says':
      return `real${only}, ${w.asSaid}`;
    case 'answers-otherwise':
      return `real${only}; ${otherwise}`;
    case 'guide-fix-fails':
      return `real${only}; ${w.fix} fails`;
    case 'answers-otherwise-guide-fix-fails':
      return `real${only}; ${otherwise}; ${w.fix} fails`;
    case 'does-not-happen':
      return `does not happen (${gist(a.answered)})`;
    case 'works-as-the-guide-says':
      return `works ${w.asSaid}`;
    case 'fails-unlike-the-guide':
      return `fails${only}, ${w.unlikeBrief} (${gist(a.answered)})`;
    default:
      return kind;
  }
}

/** The four questions and their answers, a line each, for evidence blocks and JUnit output. */
export function answerLines(a: VerdictAnswers | undefined): string[] {
  if (!a) return [];
  const happens = a.happens === 'partly' ? `only ${a.condition}` : a.happens;
  const w = wordsFor(a);
  const asSaid =
    a.answersAsGuideSays === null
      ? `not asked (it does not happen): ${a.answered}`
      : a.answersAsGuideSays
        ? `yes: ${a.answered}`
        : `no: ${a.answered}, not ${a.guideSays}`;
  const fix = a.guideFix === 'resolves' ? 'yes' : a.guideFix === 'fails' ? 'no' : w.noneGiven;
  return [
    `does the failure happen: ${happens}`,
    `does it answer ${w.asSaid}: ${asSaid}`,
    `does ${w.fix} resolve it: ${fix}`,
    `the fix this project verified: ${a.verifiedFix ? `"${a.verifiedFix}"` : 'none'}`,
  ];
}
