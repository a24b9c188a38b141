import type { Exchange } from '../../parts/client/exchange.ts';
import type { CatalogueRun } from '../plan.ts';
import type { Check, Observation, Remedy, ScenarioResult, Screenshot, VerdictAnswers, VerdictKind } from '../../core/types.ts';
import { maskDeep } from '../../base/secrets.ts';
import { kindWords } from '../../core/headline.ts';
import { failureOf } from './failure.ts';
import type { MetricsObservation } from '../../parts/metrics/observation.ts';
import type { ShardOfRun } from '../shard.ts';
import { securityMarksOf } from './security-finding.ts';

export const LEDGER_SCHEMA = 'n8n-authlab/ledger';
/** 2: a cell's verdict is its headline kind, with `headline` and the four `answers` (1: confirmed / refuted). */
export const LEDGER_SCHEMA_VERSION = 2;

/** `missing`: the run has no result for this claim on this version. */
export type CellVerdict = VerdictKind | 'missing';
export const CELL_VERDICTS: CellVerdict[] = [
  'as-the-guide-says',
  'answers-otherwise',
  'guide-fix-fails',
  'answers-otherwise-guide-fix-fails',
  'does-not-happen',
  'works-as-the-guide-says',
  'fails-unlike-the-guide',
  'inconclusive',
  'not-runnable',
  'missing',
];

/**
 * Each kind in the words its cells use (a row not in the guide reads "as claimed", "the usual fix",
 * "unlike the claim" in its own cells: see HEADLINE_LEGEND).
 */
export const VERDICT_LABEL: Record<CellVerdict, string> = {
  'as-the-guide-says': kindWords('as-the-guide-says'),
  'answers-otherwise': kindWords('answers-otherwise'),
  'guide-fix-fails': kindWords('guide-fix-fails'),
  'answers-otherwise-guide-fix-fails': kindWords('answers-otherwise-guide-fix-fails'),
  'does-not-happen': kindWords('does-not-happen'),
  'works-as-the-guide-says': kindWords('works-as-the-guide-says'),
  'fails-unlike-the-guide': kindWords('fails-unlike-the-guide'),
  inconclusive: 'inconclusive',
  'not-runnable': 'not runnable here',
  missing: 'no result',
};

/** A cell's kind in its row's words ("real, as claimed" for a row not in the guide). */
export const cellLabel = (c: Pick<LedgerCell, 'verdict' | 'answers'>): string =>
  (judgedCell(c.verdict) && c.answers ? kindWords(c.verdict as Parameters<typeof kindWords>[0], c.answers) : VERDICT_LABEL[c.verdict]) ?? c.verdict;

/** A cell the project judged (it ran and its fault applied): its answers and its fix count. */
export const judgedCell = (verdict: string): boolean => !['inconclusive', 'not-runnable', 'missing'].includes(verdict);

/** `behaviour-differs`: the same verdict everywhere, but n8n answered the symptom differently. */
type Agreement = 'same' | 'differs' | 'behaviour-differs';
export const AGREEMENT_LABEL: Record<Agreement, string> = { same: 'same', differs: 'differs', 'behaviour-differs': 'behaviour differs' };

/** The exchange as recorded, its n8n log lines moved to the cell's `log`. */
export interface LedgerExchange {
  phase: 'symptom' | 'alongside' | 'remedy';
  /** Index into the cell's `remedies` (phase `remedy` only). */
  remedy?: number;
  exchange: Omit<Exchange, 'n8nLog'>;
}

interface LedgerEvidence {
  faultProof: Check[];
  remedies: Array<{ name: string; source: Remedy['source']; resolved: boolean; checks: Check[] }>;
  exchanges: LedgerExchange[];
  /** What n8n logged while an exchange ran; `exchange` indexes `exchanges`. */
  log: Array<{ exchange: number; line: string }>;
  /** `authlab doctor` on the broken stack and after the fix: the modes it named (none: healthy). */
  doctor?: { expected: string; broken: string[]; fixed?: string[] };
  /** On a stack that scrapes n8n's metrics: n8n's answers per status before and after the symptom, and whether the failure shows there. */
  metrics?: MetricsObservation;
  /** What the browser showed (browser scenarios): PNGs beside the ledger, by relative path. */
  screenshots?: Screenshot[];
}

export interface LedgerCell {
  version: string;
  verdict: CellVerdict;
  /** The headline in words: "real; answers 403 \"Forbidden\", not 401; the guide's fix works". */
  headline: string;
  /** The four answers the headline follows from; absent where the scenario did not run far enough. */
  answers?: VerdictAnswers;
  summary: string;
  /** The fix this project verified resolved the fault; null when there is no result. */
  correctFixResolves: boolean | null;
  /** Where the cell's answers sit in ledger.md and .html, and its whole evidence in ledger-evidence.md and .html (`#anchor`). */
  anchor: string;
  /** The symptom's answers, `status outcome` per exchange joined by "; " (empty when none). */
  behaviour: string;
  evidence: LedgerEvidence;
  error?: string;
  /** Why this cell fails CI (see failureOf); absent when it passes, is not runnable or has no result. */
  failure?: string;
  /** How long the scenario ran; absent when there is no result. */
  durationMs?: number;
}

export interface LedgerRow {
  id: string;
  /** A catalogue family, or the id prefix of a scenario of one's own. */
  family: string;
  section: string;
  claim: string;
  fix: string;
  title: string;
  /** A security finding: who the failure lets in (the catalogue's `security`). */
  security?: string;
  /** Who the refusal the claim expects keeps out (the catalogue's `refusalKeepsOut`): a cell where it did not happen let them in. */
  refusalKeepsOut?: string;
  /** One per version of the run, in its order. */
  cells: LedgerCell[];
  agreement: Agreement;
  /** The verdict every version agrees on, or `differs`. */
  status: CellVerdict | 'differs';
}

export interface Ledger {
  schema: typeof LEDGER_SCHEMA;
  schemaVersion: number;
  tool: { name: string; version: string };
  versions: string[];
  images: Record<string, string>;
  boots: number;
  startedAt: string;
  finishedAt: string;
  families: FamilyHeading[];
  counts: Record<string, Record<CellVerdict, number>>;
  rows: LedgerRow[];
  /** The run was `authlab run --shard`: which part of the plan it ran (absent on a whole run and on a merged ledger). */
  shard?: ShardOfRun;
}

export function anchorOf(id: string, version: string): string {
  return `ev-${id}-${version}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** The verified fix failed where it was judged (not for a cell that could not run or has no result). */
export function verifiedFixFailed(c: LedgerCell): boolean {
  return c.correctFixResolves === false && judgedCell(c.verdict);
}

export function behaviourOf(symptom: Array<Pick<Exchange, 'response' | 'outcome'>>): string {
  return symptom.map((e) => (e.response ? `${e.response.status} ${e.outcome}` : e.outcome)).join('; ');
}

function evidenceOf(obs: Observation): LedgerEvidence {
  const exchanges: LedgerExchange[] = [];
  const log: LedgerEvidence['log'] = [];
  const add = (phase: LedgerExchange['phase'], list: Exchange[], remedy?: number) => {
    for (const { n8nLog, ...exchange } of list) {
      for (const line of n8nLog ?? []) log.push({ exchange: exchanges.length, line });
      exchanges.push({ phase, ...(remedy !== undefined ? { remedy } : {}), exchange });
    }
  };
  add('symptom', obs.symptom);
  add('alongside', obs.alongside);
  for (const [i, r] of obs.remedies.entries()) add('remedy', r.exchanges, i);
  return {
    faultProof: obs.faultProof,
    remedies: obs.remedies.map((r) => ({ name: r.name, source: r.source, resolved: r.resolved, checks: r.checks })),
    exchanges,
    log,
    ...(obs.doctor
      ? { doctor: { expected: obs.doctor.expected, broken: obs.doctor.broken.named, ...(obs.doctor.fixed ? { fixed: obs.doctor.fixed.named } : {}) } }
      : {}),
    ...(obs.metrics ? { metrics: obs.metrics } : {}),
    ...(obs.screenshots?.length ? { screenshots: obs.screenshots } : {}),
  };
}

/** The cell of a claim the run has no result for on a version. */
export function missingCell(id: string, version: string): LedgerCell {
  return {
    version,
    verdict: 'missing',
    headline: 'no result',
    summary: `no result on n8n ${version}`,
    correctFixResolves: null,
    anchor: anchorOf(id, version),
    behaviour: '',
    evidence: { faultProof: [], remedies: [], exchanges: [], log: [] },
  };
}

function cellOf(id: string, version: string, r: ScenarioResult | undefined): LedgerCell {
  if (!r) return missingCell(id, version);
  const anchor = anchorOf(id, version);
  const failure = failureOf(r);
  return {
    version,
    verdict: r.verdict.kind,
    headline: r.verdict.headline,
    ...(r.verdict.answers ? { answers: r.verdict.answers } : {}),
    summary: r.verdict.summary,
    correctFixResolves: r.correctFixResolves,
    anchor,
    behaviour: behaviourOf(r.observation.symptom),
    evidence: evidenceOf(r.observation),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(failure !== undefined ? { failure } : {}),
    durationMs: r.durationMs,
  };
}

export function agreementOf(cells: LedgerCell[]): Pick<LedgerRow, 'agreement' | 'status'> {
  const kinds = new Set(cells.map((c) => c.verdict));
  if (kinds.size > 1) return { agreement: 'differs', status: 'differs' };
  const status = cells[0]?.verdict ?? 'missing';
  return { agreement: new Set(cells.map((c) => c.behaviour)).size > 1 ? 'behaviour-differs' : 'same', status };
}

/** A family's title and the guide sections its scenarios cite, as the ledger heads its rows. */
export interface FamilyHeading {
  id: string;
  title: string;
  sections: string;
}

/**
 * What the ledger needs of the catalogue, handed in by the front end so the ledger (below the
 * catalogue) imports none of it: the scenario ids in catalogue order and each family's heading.
 */
export interface LedgerCatalogue {
  ids: readonly string[];
  heading(family: string): FamilyHeading;
}

/** Scenario ids in catalogue order; ids the catalogue does not know follow, in the order they appear. */
function orderedIds(results: ScenarioResult[], catalogue: readonly string[]): string[] {
  const rank = (id: string) => (catalogue.includes(id) ? catalogue.indexOf(id) : catalogue.length);
  return [...new Set(results.map((r) => r.id))].sort((a, b) => rank(a) - rank(b));
}

/** Per version, how many rows have each verdict kind. */
export function countsOf(versions: string[], rows: LedgerRow[]): Ledger['counts'] {
  return Object.fromEntries(
    versions.map((v, i) => [
      v,
      Object.fromEntries(CELL_VERDICTS.map((k) => [k, rows.filter((r) => r.cells[i]!.verdict === k).length])) as Record<CellVerdict, number>,
    ]),
  );
}

/**
 * The verdict ledger: a row per guide claim, a cell per version with its verdict and the evidence
 * behind it, and whether the versions agree. Masked whole before it is returned.
 */
export function buildLedger(run: CatalogueRun & { shard?: ShardOfRun }, toolVersion: string, catalogue: LedgerCatalogue): Ledger {
  const byKey = new Map(run.results.map((r) => [`${r.id}@${r.version}`, r]));
  const rows: LedgerRow[] = orderedIds(run.results, catalogue.ids).map((id) => {
    const any = run.results.find((r) => r.id === id)!;
    const cells = run.versions.map((v) => cellOf(id, v, byKey.get(`${id}@${v}`)));
    return {
      id,
      family: any.family,
      section: any.guide.section,
      claim: any.guide.claim,
      fix: any.guide.fix,
      title: any.title,
      ...securityMarksOf(any),
      cells,
      ...agreementOf(cells),
    };
  });
  const familyIds = [...new Set(rows.map((r) => r.family))];
  const counts = countsOf(run.versions, rows);
  return maskDeep({
    schema: LEDGER_SCHEMA,
    schemaVersion: LEDGER_SCHEMA_VERSION,
    tool: { name: 'n8n-authlab', version: toolVersion },
    versions: run.versions,
    images: run.images,
    boots: run.boots,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    families: familyIds.map((id) => catalogue.heading(id)),
    counts,
    rows,
    ...(run.shard ? { shard: run.shard } : {}),
  });
}

export function toLedgerJson(ledger: Ledger): string {
  return `${JSON.stringify(maskDeep(ledger), null, 2)}\n`;
}
