// Computes every verdict of a run again from its recording (report.json) with this checkout's
// checkers, without n8n: `npm run rejudge -- --out dir report.json`. Writes the run's reports to
// --out. A result that did not run (inconclusive for a failed start, not runnable) keeps its verdict.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { writeRunReports } from '../src/engine/report/run-reports.ts';
import { ledgerCatalogue, scenarios } from '../src/families/registry.ts';
import type { CatalogueRun } from '../src/engine/plan.ts';
import { judge } from '../src/engine/runner.ts';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out || positionals.length !== 1) {
  console.error('usage: rejudge --out <dir> <report.json>');
  process.exit(2);
}
const { run } = JSON.parse(await readFile(positionals[0]!, 'utf8')) as { run: CatalogueRun };
let changed = 0;
for (const r of run.results) {
  const scenario = scenarios.find((s) => s.id === r.id);
  if (!scenario || r.error !== undefined || r.verdict.kind === 'not-runnable') continue;
  const verdict = judge(scenario, r.version, r.observation);
  if (verdict.headline !== r.verdict.headline) changed++;
  r.verdict = verdict;
}
await writeRunReports(run, values.out, { catalogue: ledgerCatalogue, toolVersion: 'rejudged' });
console.log(`${run.results.length} results, ${changed} headline(s) changed; reports in ${values.out}`);
