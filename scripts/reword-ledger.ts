// Words a ledger's headlines again with this checkout's wording, from each cell's recorded kind and
// four answers, without n8n or a recording: `node --experimental-strip-types scripts/reword-ledger.ts
// --out dir ledger.json`. Refuses (exit 1) if the answers would call for another kind than the cell
// has: wording may change, a verdict may not. Writes ledger.json, its pages and summary.md to --out.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLedger } from '../src/engine/report/ledger-diff.ts';
import { judgedCell, toLedgerJson } from '../src/engine/report/ledger.ts';
import { ledgerSummaryMarkdown } from '../src/engine/report/ledger-summary.ts';
import { ledgerPages } from '../src/engine/report/run-reports.ts';
import { headlineText } from '../src/core/headline.ts';
import type { VerdictKind } from '../src/core/types.ts';
import { headlineKind } from '../src/core/verdict.ts';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out || positionals.length !== 1) {
  console.error('usage: reword-ledger --out <dir> <ledger.json>');
  process.exit(2);
}
const ledger = await readLedger(positionals[0]!);
const itWorksClaim = (kind: string) => kind === 'works-as-the-guide-says' || kind === 'fails-unlike-the-guide';
let cells = 0;
let reworded = 0;
const changedKind: string[] = [];
for (const row of ledger.rows) {
  for (const cell of row.cells) {
    if (!judgedCell(cell.verdict) || !cell.answers) continue;
    cells++;
    const kind = headlineKind(cell.answers, itWorksClaim(cell.verdict));
    if (kind !== cell.verdict) changedKind.push(`${row.id}@${cell.version}: ${cell.verdict} -> ${kind}`);
    const headline = headlineText(cell.verdict as VerdictKind, cell.answers);
    if (headline === cell.headline) continue;
    reworded++;
    cell.summary = cell.summary.replace(cell.headline, headline);
    cell.headline = headline;
  }
}
if (changedKind.length) {
  console.error(`the answers call for another kind in ${changedKind.length} cell(s); nothing written:\n${changedKind.join('\n')}`);
  process.exit(1);
}
await mkdir(values.out, { recursive: true });
const files = { 'ledger.json': toLedgerJson(ledger), ...ledgerPages(ledger), 'summary.md': ledgerSummaryMarkdown(ledger) };
for (const [name, text] of Object.entries(files)) await writeFile(join(values.out, name), text);
console.log(`${cells} judged cells, every kind as recorded, ${reworded} headline(s) reworded; written to ${values.out}`);
