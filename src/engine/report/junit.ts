import type { VerdictKind } from '../../core/types.ts';
import { answerLines } from '../../core/verdict.ts';
import { CELL_VERDICTS, cellLabel, type Ledger, type LedgerCell, type LedgerRow } from './ledger.ts';
import { evidenceText } from './evidence-text.ts';
import { junitXml, type JUnitCase, type JUnitSuite } from './junit-xml.ts';
import { EVIDENCE_FILE } from './ledger-evidence.ts';

/** The verdict kinds `--fail-on` takes: each judged kind, and inconclusive. */
export const FAIL_ON_KINDS = CELL_VERDICTS.filter((k): k is VerdictKind => k !== 'not-runnable' && k !== 'missing');

/** A cell of the combined kind is both of its parts: `--fail-on answers-otherwise` catches it too. */
const PARTS: Partial<Record<VerdictKind, VerdictKind[]>> = { 'answers-otherwise-guide-fix-fails': ['answers-otherwise', 'guide-fix-fails'] };

/** The chosen kind this cell's verdict is (or contains), if any. */
export function chosenKind(verdict: string, failOn: readonly VerdictKind[]): VerdictKind | undefined {
  return failOn.find((k) => k === verdict || (PARTS[verdict as VerdictKind] ?? []).includes(k));
}

/** The properties every case carries: the verdict in its kind and its words, the headline, then the four answers by their questions. */
function properties(cell: LedgerCell): Array<[string, string]> {
  const answers = answerLines(cell.answers).map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]);
  return [
    ['verdict', cell.verdict],
    ['verdict in words', cellLabel(cell)],
    ['headline', cell.headline],
    ...answers,
    ['evidence', `${EVIDENCE_FILE.html}#${cell.anchor}`],
  ];
}

function scenarioCase(row: LedgerRow, cell: LedgerCell, failOn: readonly VerdictKind[]): JUnitCase {
  const ev = evidenceText(cell);
  const chosen = chosenKind(cell.verdict, failOn);
  const failure =
    cell.failure !== undefined
      ? { message: cell.failure, detail: cell.failure }
      : chosen
        ? { message: `${cellLabel(cell)} (--fail-on ${chosen}): ${cell.headline}`, detail: [cell.summary, ...ev.answers].join('\n') }
        : undefined;
  return {
    classname: `n8n-${cell.version}.${row.family}`,
    name: `${row.id}: ${row.title}`,
    ...(cell.durationMs !== undefined ? { timeMs: cell.durationMs } : {}),
    properties: properties(cell),
    ...(failure ? { failure } : {}),
    ...(cell.verdict === 'not-runnable' ? { skipped: cell.summary } : {}),
    output: [cell.summary, ...ev.answers, ...ev.proof, ...ev.fixes, ...ev.metrics, `every exchange and log line: ${EVIDENCE_FILE.html}#${cell.anchor}`].join(
      '\n',
    ),
  };
}

/**
 * JUnit XML from the ledger: a suite per version and family, a case per scenario and version, named
 * with the scenario id, its verdict, headline and four answers as properties. What n8n does is a
 * finding, not a failure: a case fails where the project is at fault (the cell's `failure`, from
 * failureOf) and, for a team that gates on findings, where its verdict is a kind in `failOn`
 * (`authlab run --fail-on`); it is skipped where it cannot run here.
 */
export function toJUnit(ledger: Ledger, failOn: readonly VerdictKind[] = []): string {
  const suites: JUnitSuite[] = ledger.versions.flatMap((version, i) =>
    ledger.families.map((f) => ({
      name: `n8n ${version} / ${f.id}`,
      cases: ledger.rows.filter((r) => r.family === f.id && r.cells[i]!.verdict !== 'missing').map((r) => scenarioCase(r, r.cells[i]!, failOn)),
    })),
  );
  return junitXml(
    'n8n-authlab',
    suites.filter((s) => s.cases.length),
  );
}
