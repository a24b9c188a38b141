import { CELL_VERDICTS, type Ledger, VERDICT_LABEL } from './ledger.ts';
import { briefHeadline } from '../../core/verdict.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** Markdown: the counts per version, then every row whose verdict differs between versions, each cell its brief headline. */
export function ledgerSummaryMarkdown(ledger: Ledger): string {
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
