import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { VerdictKind } from '../../core/types.ts';
import { toJsonReport } from './json.ts';
import { toJUnit } from './junit.ts';
import { buildLedger, toLedgerJson, type Ledger, type LedgerCatalogue } from './ledger.ts';
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
  catalogue: LedgerCatalogue,
  failOn: readonly VerdictKind[] = [],
): { ledger: Ledger; files: Record<RunReportName, string> } {
  const ledger = buildLedger(run, toolVersion, catalogue);
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

/**
 * The one way from a run's results to its ledger on disk: the run's report files written into
 * `dir` (made if missing), each under `rename(name)` when given (the test suites' junit-scenarios.xml).
 * Returns the ledger, the folder and the names written.
 */
export async function writeRunReports(
  run: Parameters<typeof buildLedger>[0],
  dir: string,
  opts: { toolVersion: string; catalogue: LedgerCatalogue; failOn?: readonly VerdictKind[]; rename?: (name: RunReportName) => string },
): Promise<{ ledger: Ledger; dir: string; written: string[] }> {
  const { ledger, files } = runReports(run, opts.toolVersion, opts.catalogue, opts.failOn);
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(files) as Array<[RunReportName, string]>) {
    const as = opts.rename?.(name) ?? name;
    await writeFile(join(folder, as), text);
    written.push(as);
  }
  return { ledger, dir: folder, written };
}
