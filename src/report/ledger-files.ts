import type { CatalogueRun } from '../scenarios/plan.ts';
import { buildLedger, toLedgerJson } from './ledger.ts';
import { toLedgerHtml } from './ledger-html.ts';
import { toLedgerMarkdown } from './ledger-markdown.ts';

/** The ledger's three files, by name, as `authlab run` and the test suites write them. */
export function ledgerFiles(run: CatalogueRun, toolVersion: string): Record<'ledger.json' | 'ledger.md' | 'ledger.html', string> {
  const ledger = buildLedger(run, toolVersion);
  return { 'ledger.json': toLedgerJson(ledger), 'ledger.md': toLedgerMarkdown(ledger), 'ledger.html': toLedgerHtml(ledger) };
}
