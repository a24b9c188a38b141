import { evidenceText, type Ledger, type LedgerCell, type LedgerRow } from './ledger.ts';
import { junitXml, type JUnitCase, type JUnitSuite } from './junit-xml.ts';

function scenarioCase(row: LedgerRow, cell: LedgerCell): JUnitCase {
  const ev = evidenceText(cell);
  return {
    classname: `n8n-${cell.version}.${row.family}`,
    name: `[${row.section}] ${row.title}`,
    ...(cell.durationMs !== undefined ? { timeMs: cell.durationMs } : {}),
    ...(cell.failure !== undefined ? { failure: { message: cell.failure, detail: cell.failure } } : {}),
    ...(cell.verdict === 'not-runnable' ? { skipped: cell.summary } : {}),
    output: [cell.summary, ...ev.answers, ...ev.proof, ...ev.fixes, ...ev.metrics, ...ev.exchanges, ...ev.log].join('\n'),
  };
}

/**
 * JUnit XML from the ledger: a suite per version and family, a case per claim that has a result.
 * What n8n does is a finding, not a failure (a guide claim n8n does not bear out passes, with the
 * headline and answers in its output); a case fails only where the project is at fault (the cell's
 * `failure`, from failureOf), and is skipped where it cannot run here.
 */
export function toJUnit(ledger: Ledger): string {
  const suites: JUnitSuite[] = ledger.versions.flatMap((version, i) =>
    ledger.families.map((f) => ({
      name: `n8n ${version} / ${f.id}`,
      cases: ledger.rows.filter((r) => r.family === f.id && r.cells[i]!.verdict !== 'missing').map((r) => scenarioCase(r, r.cells[i]!)),
    })),
  );
  return junitXml(
    'n8n-authlab',
    suites.filter((s) => s.cases.length),
  );
}
