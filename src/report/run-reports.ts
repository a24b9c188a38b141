import type { VerdictKind } from '../core/types.ts';
import { toJsonReport } from './json.ts';
import { toJUnit } from './junit.ts';
import { buildLedger, toLedgerJson, type Ledger } from './ledger.ts';
import { toLedgerEvidenceHtml, toLedgerHtml } from './ledger-html.ts';
import { toLedgerEvidenceMarkdown, toLedgerMarkdown } from './ledger-markdown.ts';

type LedgerPageName = 'ledger.md' | 'ledger.html' | 'ledger-evidence.md' | 'ledger-evidence.html';
type RunReportName = 'report.json' | 'junit.xml' | 'ledger.json' | LedgerPageName;

/** The ledger's pages: verdicts, legend and answers (ledger.md, .html), and every cell's whole evidence they link to. */
export function ledgerPages(ledger: Ledger): Record<LedgerPageName, string> {
  return {
    'ledger.md': toLedgerMarkdown(ledger),
    'ledger.html': toLedgerHtml(ledger),
    'ledger-evidence.md': toLedgerEvidenceMarkdown(ledger),
    'ledger-evidence.html': toLedgerEvidenceHtml(ledger),
  };
}

/**
 * A run's report files, by name, as `authlab run` and the test suites write them. `report.json` is
 * the run as recorded (every observation, from which a verdict can be recomputed); the others are
 * the ledger, the one report model built from it, rendered. `failOn`: the verdict kinds that fail
 * their JUnit case (`authlab run --fail-on`).
 */
export function runReports(
  run: Parameters<typeof buildLedger>[0],
  toolVersion: string,
  failOn: readonly VerdictKind[] = [],
): { ledger: Ledger; files: Record<RunReportName, string> } {
  const ledger = buildLedger(run, toolVersion);
  return {
    ledger,
    files: {
      'report.json': toJsonReport(run, toolVersion),
      'junit.xml': toJUnit(ledger, failOn),
      'ledger.json': toLedgerJson(ledger),
      ...ledgerPages(ledger),
    },
  };
}
