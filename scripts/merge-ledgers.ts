// Merges several runs' ledgers (a CI job per n8n version, the test run and an extra version) into
// one: `npm run merge-ledgers -- --out docs/versions a/ledger.json b/ledger.json`. Writes
// ledger.json, the ledger's pages as a run writes them (ledger.md and .html with the
// ledger-evidence.md and .html they link to), and summary.md (counts per version, then every row
// whose verdict differs between versions, each cell its brief headline) to --out. The shards of
// `authlab run --shard i/n` merge into the ledger of the whole run; the same shard twice, or two
// shards that ran the same claim, are refused (exit 2), a missing shard is warned of.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLedger } from '../src/engine/report/ledger-diff.ts';
import { toLedgerJson } from '../src/engine/report/ledger.ts';
import { mergeLedgers } from '../src/engine/report/ledger-merge.ts';
import { ledgerSummaryMarkdown } from '../src/engine/report/ledger-summary.ts';
import { ledgerPages } from '../src/engine/report/run-reports.ts';
import { shardProblems } from '../src/engine/report/ledger-shards.ts';
import { securityMarksOf, withSecurityMarks } from '../src/engine/report/security-finding.ts';
import { scenarios } from '../src/families/registry.ts';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out || positionals.length === 0) {
  console.error('usage: merge-ledgers --out <dir> <ledger.json> [<ledger.json> ...]');
  process.exit(2);
}

const ledgers = await Promise.all(positionals.map(readLedger));
const { refuse, warn } = shardProblems(ledgers.map((ledger, i) => ({ file: positionals[i]!, ledger })));
for (const line of warn) console.error(`warning: ${line}`);
if (refuse.length) {
  console.error(`merge-ledgers: ${refuse[0]}${refuse.length > 1 ? ` (and ${refuse.length - 1} more)` : ''}`);
  process.exit(2);
}
// Who each refusal keeps out as the catalogue says now: the security findings are marked in cells recorded before it said so.
const merged = withSecurityMarks(mergeLedgers(ledgers), new Map(scenarios.map((s) => [s.id, securityMarksOf(s)])));
await mkdir(values.out, { recursive: true });
await writeFile(join(values.out, 'ledger.json'), toLedgerJson(merged));
for (const [name, text] of Object.entries(ledgerPages(merged))) await writeFile(join(values.out, name), text);
await writeFile(join(values.out, 'summary.md'), ledgerSummaryMarkdown(merged));
console.log(
  `n8n ${merged.versions.join(', ')}: ${merged.rows.length} rows, ${merged.rows.filter((r) => r.agreement === 'differs').length} differ; written to ${values.out}`,
);
