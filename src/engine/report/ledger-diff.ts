import { readFile } from 'node:fs/promises';
import type { VerdictAnswers } from '../../core/types.ts';
import { answerLines } from '../../core/verdict.ts';
import {
  cellLabel,
  judgedCell,
  VERDICT_LABEL,
  LEDGER_SCHEMA,
  LEDGER_SCHEMA_VERSION,
  type CellVerdict,
  type Ledger,
  type LedgerCell,
  type LedgerRow,
} from './ledger.ts';
import { UserError } from '../../base/user-error.ts';
import { withoutVolatile } from './volatile.ts';

/** Which version of the old ledger is compared with which of the new one. */
interface VersionPair {
  before: string;
  after: string;
}

type LedgerChange =
  | { kind: 'row-added' | 'row-removed'; id: string; section: string; claim: string }
  /** `fromWords`, `toWords`: each kind in its row's words (cellLabel). */
  | { kind: 'verdict-changed'; id: string; pair: VersionPair; from: CellVerdict; to: CellVerdict; fromWords: string; toWords: string }
  /** One of the four questions got another answer (`question` is its line's wording). */
  | { kind: 'answer-changed'; id: string; pair: VersionPair; question: string; from: string; to: string }
  | { kind: 'behaviour-changed'; id: string; pair: VersionPair; verdict: CellVerdict; verdictWords: string; from: string; to: string }
  /** Same verdict, answers and behaviour, but the headline reads otherwise (another wording of it). */
  | { kind: 'headline-changed'; id: string; pair: VersionPair; from: string; to: string }
  | { kind: 'fix-stopped-working' | 'fix-started-working'; id: string; pair: VersionPair };

export interface LedgerDiff {
  pairs: VersionPair[];
  /** The ledgers share no version: the last of each is compared (an upgrade). */
  crossVersion: boolean;
  changes: LedgerChange[];
}

export class LedgerReadError extends UserError {
  readonly file: string;
  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = 'LedgerReadError';
    this.file = file;
  }
}

/** Reads a ledger.json, refusing anything else with a LedgerReadError that names the file. */
export async function readLedger(path: string): Promise<Ledger> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LedgerReadError(path, code === 'ENOENT' ? 'no such file' : `cannot be read (${(err as Error).message})`);
  }
  let data: Partial<Ledger>;
  try {
    data = JSON.parse(text) as Partial<Ledger>;
  } catch (err) {
    throw new LedgerReadError(path, `not a ledger: not JSON (${(err as Error).message})`);
  }
  if (data === null || typeof data !== 'object' || data.schema !== LEDGER_SCHEMA) {
    const schema = data !== null && typeof data === 'object' ? JSON.stringify(data.schema) : 'absent';
    throw new LedgerReadError(path, `not an n8n-authlab ledger (schema ${schema ?? 'absent'}, expected "${LEDGER_SCHEMA}"; authlab run writes ledger.json)`);
  }
  if (typeof data.schemaVersion !== 'number' || data.schemaVersion > LEDGER_SCHEMA_VERSION) {
    throw new LedgerReadError(path, `ledger schemaVersion ${String(data.schemaVersion)} is not one this authlab reads (${LEDGER_SCHEMA_VERSION})`);
  }
  if (!Array.isArray(data.versions) || !Array.isArray(data.rows)) throw new LedgerReadError(path, 'not a complete ledger: its versions or rows are missing');
  return data as Ledger;
}

function pairsOf(before: Ledger, after: Ledger): Pick<LedgerDiff, 'pairs' | 'crossVersion'> {
  const shared = after.versions.filter((v) => before.versions.includes(v));
  if (shared.length) return { pairs: shared.map((v) => ({ before: v, after: v })), crossVersion: false };
  const [b, a] = [before.versions.at(-1), after.versions.at(-1)];
  return { pairs: b !== undefined && a !== undefined ? [{ before: b, after: a }] : [], crossVersion: true };
}

/**
 * Each question's answer as its line says it (`does the failure happen` -> `yes`), run-specific
 * values (ports, temporary folders, timestamps, ids) replaced by placeholders; none for a v1 ledger's cell.
 */
function answerMap(a: VerdictAnswers | undefined): Map<string, string> {
  return new Map(answerLines(a).map((l) => [l.slice(0, l.indexOf(':')), withoutVolatile(l.slice(l.indexOf(':') + 2))]));
}

function answerChanges(id: string, pair: VersionPair, b: LedgerCell, a: LedgerCell): LedgerChange[] {
  const [before, after] = [answerMap(b.answers), answerMap(a.answers)];
  return [...after]
    .filter(([question, to]) => before.has(question) && before.get(question) !== to)
    .map(([question, to]) => ({ kind: 'answer-changed', id, pair, question, from: before.get(question)!, to }));
}

function cellChanges(id: string, pair: VersionPair, b: LedgerCell | undefined, a: LedgerCell | undefined): LedgerChange[] {
  const from = b?.verdict ?? 'missing';
  const to = a?.verdict ?? 'missing';
  const words = (c: LedgerCell | undefined) => (c ? cellLabel(c) : VERDICT_LABEL.missing);
  const changes: LedgerChange[] = from !== to ? [{ kind: 'verdict-changed', id, pair, from, to, fromWords: words(b), toWords: words(a) }] : [];
  if (!b || !a) return changes;
  const answers = answerChanges(id, pair, b, a);
  changes.push(...answers);
  const [behaviourBefore, behaviourAfter] = [withoutVolatile(b.behaviour), withoutVolatile(a.behaviour)];
  if (from === to && answers.length === 0 && behaviourBefore !== behaviourAfter)
    changes.push({ kind: 'behaviour-changed', id, pair, verdict: to, verdictWords: cellLabel(a), from: behaviourBefore, to: behaviourAfter });
  if (from === to && judgedCell(b.verdict) && judgedCell(a.verdict) && b.correctFixResolves !== a.correctFixResolves) {
    changes.push({ kind: a.correctFixResolves ? 'fix-started-working' : 'fix-stopped-working', id, pair });
  }
  const [headlineBefore, headlineAfter] = [withoutVolatile(b.headline), withoutVolatile(a.headline)];
  if (changes.length === 0 && headlineBefore !== headlineAfter) changes.push({ kind: 'headline-changed', id, pair, from: headlineBefore, to: headlineAfter });
  return changes;
}

/** What changed from one ledger to the next: rows, verdicts, behaviours and the verified fix, per version pair. */
export function diffLedgers(before: Ledger, after: Ledger): LedgerDiff {
  const { pairs, crossVersion } = pairsOf(before, after);
  const beforeRows = new Map(before.rows.map((r) => [r.id, r]));
  const afterIds = new Set(after.rows.map((r) => r.id));
  const brief = (kind: 'row-added' | 'row-removed', r: LedgerRow): LedgerChange => ({ kind, id: r.id, section: r.section, claim: r.claim });
  const changes: LedgerChange[] = [];
  for (const r of after.rows) {
    const old = beforeRows.get(r.id);
    if (!old) {
      changes.push(brief('row-added', r));
      continue;
    }
    for (const pair of pairs) {
      changes.push(
        ...cellChanges(
          r.id,
          pair,
          old.cells.find((c) => c.version === pair.before),
          r.cells.find((c) => c.version === pair.after),
        ),
      );
    }
  }
  for (const r of before.rows) if (!afterIds.has(r.id)) changes.push(brief('row-removed', r));
  return { pairs, crossVersion, changes };
}

export const pairLabel = (p: VersionPair) => (p.before === p.after ? `n8n ${p.after}` : `n8n ${p.before} -> ${p.after}`);
const on = (p: VersionPair) => `on ${pairLabel(p)}`;
const shown = (behaviour: string) => behaviour || '(nothing recorded)';

export function describeChange(c: LedgerChange): string {
  switch (c.kind) {
    case 'row-added':
      return `row added: ${c.id} [${c.section}] ${c.claim}`;
    case 'row-removed':
      return `row removed: ${c.id} [${c.section}] ${c.claim}`;
    case 'verdict-changed':
      return c.pair.before === c.pair.after
        ? `${c.id}: ${c.fromWords} -> ${c.toWords} on n8n ${c.pair.after}`
        : `${c.id}: ${c.fromWords} on n8n ${c.pair.before} -> ${c.toWords} on n8n ${c.pair.after}`;
    case 'answer-changed':
      return `${c.id}: ${c.question} ${on(c.pair)}: ${c.from} -> ${c.to}`;
    case 'behaviour-changed':
      return `${c.id}: behaviour changed ${on(c.pair)}, still ${c.verdictWords}: ${shown(c.from)} -> ${shown(c.to)}`;
    case 'headline-changed':
      return `${c.id}: headline reworded ${on(c.pair)}: ${c.from} -> ${c.to}`;
    case 'fix-stopped-working':
      return `${c.id}: the verified fix stopped working ${on(c.pair)}`;
    case 'fix-started-working':
      return `${c.id}: the verified fix started working ${on(c.pair)}`;
  }
}

/** One line per change; when the ledgers share no version, a first line says which columns were compared. */
export function describeDiff(diff: LedgerDiff): string[] {
  const pairing = diff.crossVersion
    ? [
        diff.pairs[0]
          ? `no version in common: comparing the old ledger's n8n ${diff.pairs[0].before} with the new ledger's n8n ${diff.pairs[0].after}`
          : 'no version in common and a ledger without versions: only rows are compared',
      ]
    : [];
  return [...pairing, ...diff.changes.map(describeChange)];
}
