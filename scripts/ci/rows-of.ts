// The published ledger narrowed to the claims a narrowed run ran, so that `authlab diff` does not
// count every claim the run left out as removed:
//   node --experimental-strip-types scripts/ci/rows-of.ts <published ledger.json> <run's ledger.json> > narrowed.json
import { readLedger } from '../../src/engine/report/ledger-diff.ts';
import { countsOf, toLedgerJson } from '../../src/engine/report/ledger.ts';

const [publishedFile, runFile] = process.argv.slice(2);
if (!publishedFile || !runFile) {
  console.error('usage: rows-of <published ledger.json> <ledger.json of the run>');
  process.exit(2);
}
const [published, run] = await Promise.all([readLedger(publishedFile), readLedger(runFile)]);
const ran = new Set(run.rows.map((r) => r.id));
const rows = published.rows.filter((r) => ran.has(r.id));
const families = published.families.filter((f) => rows.some((r) => r.family === f.id));
process.stdout.write(toLedgerJson({ ...published, families, rows, counts: countsOf(published.versions, rows) }));
