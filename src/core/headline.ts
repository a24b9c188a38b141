import type { VerdictAnswers, VerdictKind } from './types.ts';

/** How the words name the claim: the guide's, or (for a failure mode the guide does not cover) what users are told. */
export function wordsFor(a: Pick<VerdictAnswers, 'claimedBy'>) {
  return a.claimedBy === 'users'
    ? {
        asSaid: 'as claimed',
        unlike: 'unlike the claim',
        says: 'the claim says',
        fix: 'the usual fix',
        noFix: 'no usual fix is claimed',
        noneGiven: 'none claimed',
        quoted: 'the text claimed',
      }
    : {
        asSaid: 'as the guide says',
        unlike: 'unlike the guide',
        says: 'the guide says',
        fix: "the guide's fix",
        noFix: 'the guide gives no fix',
        noneGiven: 'the guide gives none',
        quoted: 'the text the guide quotes',
      };
}

/** A judged kind in the words of its row: the guide's, or for a row not in the guide, the claim's. */
export function kindWords(kind: Exclude<VerdictKind, 'inconclusive' | 'not-runnable'>, a: Pick<VerdictAnswers, 'claimedBy'> = {}): string {
  const w = wordsFor(a);
  return {
    'as-the-guide-says': `real, ${w.asSaid}`,
    'answers-otherwise': 'real; answers otherwise',
    'guide-fix-fails': `real; ${w.fix} fails`,
    'answers-otherwise-guide-fix-fails': `real; answers otherwise; ${w.fix} fails`,
    'does-not-happen': 'does not happen',
    'works-as-the-guide-says': `works ${w.asSaid}`,
    'fails-unlike-the-guide': `fails, ${w.unlike}`,
  }[kind];
}

/** The first words of an answer: `403`, `200 with the editor's page`, `n8n does not start`. */
export const gist = (answer: string) =>
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

const statusOf = (answer: string) => /^\d{3}\b/.exec(answer.trim())?.[0];

/**
 * How n8n's answer differs from the claim's, in words that never deny what was recorded: "not 401"
 * only where no answer was a 401; an answer with the claim's status but not its text says so; an
 * answer that is no status at all (n8n does not start) and a claim that names none are set side by side.
 */
function otherwise(a: VerdictAnswers, brief: boolean): string {
  const w = wordsFor(a);
  const show = (s: string) => (brief ? gist(s) : s);
  const claimed = statusOf(a.guideSays);
  const statuses = a.answered.split(' / ').map(statusOf);
  const side = `${show(a.answered)}, where ${w.says} ${show(a.guideSays)}`;
  if (statuses.every((s) => s === undefined)) return side;
  if (claimed === undefined) return `answers ${side}`;
  if (statuses.every((s) => s === claimed)) {
    if (!a.guideSays.includes(' saying ')) return `answers ${show(a.answered)}, not ${w.asSaid}`;
    // The full answer already names the quoted text nobody said.
    return brief || !a.answered.includes('neither the answer nor')
      ? `${brief ? claimed : `answers ${a.answered}`}, but not ${w.quoted}`
      : `answers ${a.answered}`;
  }
  if (statuses.includes(claimed)) return `answers ${show(a.answered)}, not always ${claimed}`;
  return `answers ${show(a.answered)}, not ${show(a.guideSays)}`;
}

function fixClause(a: VerdictAnswers): string {
  const w = wordsFor(a);
  const verified = a.verifiedFix ? `"${a.verifiedFix}" fixes it` : 'no fix was verified';
  if (a.guideFix === 'resolves') return `${w.fix} works`;
  if (a.guideFix === 'fails') return `${w.fix} fails, ${verified}`;
  return `${w.noFix}; ${verified}`;
}

/** The headline in words a reader cannot misread. */
export function headlineText(kind: VerdictKind, a: VerdictAnswers): string {
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
      return `${real}; ${otherwise(a, false)}; ${fixClause(a)}`;
    default:
      return kind;
  }
}

/** The headline short enough for a table cell: the kind, with the statuses where the answer differs. */
export function briefHeadline(kind: VerdictKind | 'missing', a: VerdictAnswers | undefined): string {
  if (!a) return kind === 'not-runnable' ? 'not runnable here' : kind === 'missing' ? 'no result' : kind;
  const only = a.happens === 'partly' ? ' on some requests' : '';
  const w = wordsFor(a);
  switch (kind) {
    case 'as-the-guide-says':
      return `real${only}, ${w.asSaid}`;
    case 'answers-otherwise':
      return `real${only}; ${otherwise(a, true)}`;
    case 'guide-fix-fails':
      return `real${only}; ${w.fix} fails`;
    case 'answers-otherwise-guide-fix-fails':
      return `real${only}; ${otherwise(a, true)}; ${w.fix} fails`;
    case 'does-not-happen':
      return `does not happen (${gist(a.answered)})`;
    case 'works-as-the-guide-says':
      return `works ${w.asSaid}`;
    case 'fails-unlike-the-guide':
      return `fails${only}, ${w.unlike} (${gist(a.answered)})`;
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
        : `no: ${a.answered}; ${w.says} ${a.guideSays}`;
  const fix = a.guideFix === 'resolves' ? 'yes' : a.guideFix === 'fails' ? 'no' : w.noneGiven;
  return [
    `does the failure happen: ${happens}`,
    `does it answer ${w.asSaid}: ${asSaid}`,
    `does ${w.fix} resolve it: ${fix}`,
    `the fix this project verified: ${a.verifiedFix ? `"${a.verifiedFix}"` : 'none'}`,
  ];
}
