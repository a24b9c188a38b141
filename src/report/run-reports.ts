import type { CatalogueRun } from '../scenarios/plan.ts';
import { toJsonReport } from './json.ts';
import { toJUnit } from './junit.ts';
import { buildLedger, toLedgerJson, type Ledger } from './ledger.ts';
import { toLedgerHtml } from './ledger-html.ts';
import { toLedgerMarkdown } from './ledger-markdown.ts';

type RunReportName = 'report.json' | 'junit.xml' | 'ledger.json' | 'ledger.md' | 'ledger.html';

/**
 * A run's report files, by name, as `authlab run` and the test suites write them. `report.json` is
 * the run as recorded (every observation, from which a verdict can be recomputed); the other four
 * are the ledger, the one report model built from it, rendered.
 */
export function runReports(run: CatalogueRun, toolVersion: string): { ledger: Ledger; files: Record<RunReportName, string> } {
  const ledger = buildLedger(run, toolVersion);
  return {
    ledger,
    files: {
      'report.json': toJsonReport(run, toolVersion),
      'junit.xml': toJUnit(ledger),
      'ledger.json': toLedgerJson(ledger),
      'ledger.md': toLedgerMarkdown(ledger),
      'ledger.html': toLedgerHtml(ledger),
    },
  };
}
