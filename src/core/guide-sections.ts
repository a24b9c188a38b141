/**
 * The sections of the guide (shared/guide/n8n-401-fix-guide.txt), in its order: the decision
 * tree's questions, the quick fix, the numbered sections (there is no 8), the lettered ones.
 */
export const GUIDE_SECTIONS = [
  'Q1',
  'Q2',
  'Q3',
  'Q4',
  'Q5',
  'Q6',
  'Quick fix',
  '1',
  '2',
  '3',
  '3.1',
  '3.2',
  '4',
  '5',
  '6',
  '7',
  'A',
  'A1',
  'A2',
  'A3',
  'B',
  'C',
  'D',
  'E',
  'F',
  '9',
] as const;

export type GuideSection = (typeof GUIDE_SECTIONS)[number];

/** Where a failure mode is one the guide does not cover: its row says so instead of a section. */
export const NOT_IN_GUIDE = 'not in the guide';

/** What a claim cites: a section of the guide, or that the guide does not cover it. */
export type GuideRef = GuideSection | typeof NOT_IN_GUIDE;

export function isGuideRef(s: string): s is GuideRef {
  return s === NOT_IN_GUIDE || (GUIDE_SECTIONS as readonly string[]).includes(s);
}

/** The distinct refs, in the guide's order (`not in the guide` last). */
export function inGuideOrder(refs: Iterable<GuideRef>): GuideRef[] {
  const rank = (r: GuideRef) => (r === NOT_IN_GUIDE ? GUIDE_SECTIONS.length : GUIDE_SECTIONS.indexOf(r));
  return [...new Set(refs)].sort((a, b) => rank(a) - rank(b));
}
