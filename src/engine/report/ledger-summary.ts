import { CELL_VERDICTS, type Ledger, VERDICT_LABEL } from './ledger.ts';
import { briefHeadline } from '../../core/verdict.ts';
import { letIn } from './security-finding.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The security findings: each row with a cell that let someone in, whom, and on which versions. */
function securityFindings(ledger: Ledger): string[] {
  const found = ledger.rows.flatMap((r) => {
    const on = r.cells.filter((c) => letIn(r, c.answers));
    return on.length ? [`| \`${r.id}\` | ${cell(letIn(r, on[0]!.answers)!)} | ${on.map((c) => c.version).join(', ')} |`] : [];
  });
  if (!found.length) return [];
  return ['Security findings (n8n let in someone who does not belong):', '', '| scenario | lets in | on n8n |', '|---|---|---|', ...found, ''];
}

/**
 * Markdown: the counts per version, the security findings, then every row whose verdict differs
 * between versions, each cell its brief headline.
 */
export function ledgerSummaryMarkdown(ledger: Ledger): string {
  const kinds = CELL_VERDICTS.filter((k) => ledger.versions.some((v) => ledger.counts[v]?.[k]));
  const differing = ledger.rows.filter((r) => r.agreement === 'differs');
  return [
    `| n8n | ${kinds.map((k) => VERDICT_LABEL[k]).join(' | ')} |`,
    `|---|${kinds.map(() => '---').join('|')}|`,
    ...ledger.versions.map((v) => `| ${v} | ${kinds.map((k) => ledger.counts[v]?.[k] ?? 0).join(' | ')} |`),
    '',
    ...securityFindings(ledger),
    `| scenario | guide | ${ledger.versions.map((v) => `n8n ${v}`).join(' | ')} |`,
    `|---|---|${ledger.versions.map(() => '---').join('|')}|`,
    ...differing.map((r) => `| \`${r.id}\` | ${r.section} | ${r.cells.map((c) => cell(briefHeadline(c.verdict, c.answers))).join(' | ')} |`),
    '',
  ].join('\n');
}
