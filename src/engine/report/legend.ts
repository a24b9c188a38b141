import { kindWords } from '../../core/headline.ts';
import type { VerdictKind } from '../../core/types.ts';
import { AGREEMENT_LABEL, type CellVerdict, VERDICT_LABEL } from './ledger.ts';

interface LegendEntry {
  kind: CellVerdict;
  /** The words a cell shows: the guide's, then (in brackets) those of a row not in the guide. */
  words: string;
  means: string;
}

const both = (kind: Exclude<VerdictKind, 'inconclusive' | 'not-runnable'>) => {
  const [guide, users] = [kindWords(kind), kindWords(kind, { claimedBy: 'users' })];
  return guide === users ? guide : `${guide} (a row not in the guide: ${users})`;
};

/**
 * What each headline word means, for the legend of every rendering (and the `verdict` property of
 * the JUnit cases, which is the kind). `kind` is what `--fail-on` and ledger.json name.
 */
export const HEADLINE_LEGEND: LegendEntry[] = [
  {
    kind: 'as-the-guide-says',
    words: both('as-the-guide-says'),
    means: 'the failure happens, n8n answers as the guide says, and its fix works (or it gives none)',
  },
  {
    kind: 'answers-otherwise',
    words: both('answers-otherwise'),
    means:
      'the failure happens, but n8n answers otherwise: "answers 403, not 401"; "not always 401" where only some answers were a 401; "where the guide says 401" where the answer or the guide names no status',
  },
  {
    kind: 'guide-fix-fails',
    words: both('guide-fix-fails'),
    means: "the failure happens as the guide says, but the guide's fix does not resolve it; the headline names the fix this project verified",
  },
  {
    kind: 'answers-otherwise-guide-fix-fails',
    words: both('answers-otherwise-guide-fix-fails'),
    means: 'both of the above: --fail-on answers-otherwise or guide-fix-fails catches it',
  },
  {
    kind: 'does-not-happen',
    words: both('does-not-happen'),
    means: 'the failure the guide describes does not happen on this version; in brackets what n8n answered',
  },
  { kind: 'works-as-the-guide-says', words: both('works-as-the-guide-says'), means: 'a claim that something works: it does' },
  { kind: 'fails-unlike-the-guide', words: both('fails-unlike-the-guide'), means: 'a claim that something works: it fails; in brackets how' },
  {
    kind: 'inconclusive',
    words: VERDICT_LABEL.inconclusive,
    means: 'the fault was not shown to apply, or a request got no answer in time: nothing is said about n8n',
  },
  { kind: 'not-runnable', words: VERDICT_LABEL['not-runnable'], means: 'the fault cannot exist on this version (it lacks what the fault needs)' },
  { kind: 'missing', words: VERDICT_LABEL.missing, means: 'the run has no result for this claim on this version' },
];

/** The marks beside a verdict, and (with more than one version) the agreement column's words. */
export function legendNotes(versions: number): string[] {
  return [
    '"verified fix failed": the fix this project verified did not resolve the fault on this version; a failure of the project (JUnit failure, exit 1)',
    ...(versions > 1
      ? [
          `across versions: "${AGREEMENT_LABEL.same}" every version has the same verdict and answers; "${AGREEMENT_LABEL.differs}" the verdict differs; "${AGREEMENT_LABEL['behaviour-differs']}" the same verdict, but n8n answered the symptom otherwise`,
        ]
      : []),
  ];
}
