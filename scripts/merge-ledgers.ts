// Merges several runs' ledgers (a CI job per n8n version, the test run and an extra version) into
// one: `npm run merge-ledgers -- --out docs/versions a/ledger.json b/ledger.json`. Writes
// ledger.json, ledger.html and summary.md (counts per version, then every row whose verdict
// differs between versions, each cell its brief headline) to --out.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLedger } from '../src/report/ledger-diff.ts';
import { CELL_VERDICTS, type Ledger, toLedgerJson, VERDICT_LABEL } from '../src/report/ledger.ts';
import { toLedgerHtml } from '../src/report/ledger-html.ts';
import { mergeLedgers } from '../src/report/ledger-merge.ts';
import { briefHeadline } from '../src/scenarios/verdict.ts';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out || positionals.length === 0) {
  console.error('usage: merge-ledgers --out <dir> <ledger.json> [<ledger.json> ...]');
  process.exit(2);
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

function summary(ledger: Ledger): string {
  const kinds = CELL_VERDICTS.filter((k) => ledger.versions.some((v) => ledger.counts[v]?.[k]));
  const differing = ledger.rows.filter((r) => r.agreement === 'differs');
  return [
    `| n8n | ${kinds.map((k) => VERDICT_LABEL[k]).join(' | ')} |`,
    `|---|${kinds.map(() => '---').join('|')}|`,
    ...ledger.versions.map((v) => `| ${v} | ${kinds.map((k) => ledger.counts[v]?.[k] ?? 0).join(' | ')} |`),
    '',
    `| scenario | guide | ${ledger.versions.map((v) => `n8n ${v}`).join(' | ')} |`,
    `|---|---|${ledger.versions.map(() => '---').join('|')}|`,
    ...differing.map((r) => `| \`${r.id}\` | ${r.section} | ${r.cells.map((c) => cell(briefHeadline(c.verdict, c.answers))).join(' | ')} |`),
    '',
  ].join('\n');
}

const merged = mergeLedgers(await Promise.all(positionals.map(readLedger)));
await mkdir(values.out, { recursive: true });
await writeFile(join(values.out, 'ledger.json'), toLedgerJson(merged));
await writeFile(join(values.out, 'ledger.html'), toLedgerHtml(merged));
await writeFile(join(values.out, 'summary.md'), summary(merged));
console.log(
  `n8n ${merged.versions.join(', ')}: ${merged.rows.length} rows, ${merged.rows.filter((r) => r.agreement === 'differs').length} differ; written to ${values.out}`,
);
