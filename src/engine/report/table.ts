import { briefHeadline } from '../../core/verdict.ts';
import { mask } from '../../base/secrets.ts';
import { CELL_VERDICTS, VERDICT_LABEL, verifiedFixFailed, type Ledger, type LedgerCell } from './ledger.ts';

/** The verdict table printed at the end of a run: a row per claim, a column per version, each cell its headline in brief. */
export function verdictTable(ledger: Ledger): string {
  const header = ['scenario', 'section', ...ledger.versions.map((v) => `n8n ${v}`)];
  const rows = ledger.rows.map((r) => [r.id, r.section, ...r.cells.map(cell)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const differs = ledger.rows.filter((r) => r.agreement === 'differs').map((r) => r.id);
  const counts = ledger.versions.map((v) => `n8n ${v}: ${countsLine(ledger.counts[v])}`);
  return mask(
    [
      line(header),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map(line),
      '',
      ...counts,
      ...(differs.length ? ['', `verdicts that differ between versions: ${differs.join(', ')}`] : []),
    ].join('\n'),
  );
}

function countsLine(counts: Ledger['counts'][string] | undefined): string {
  // The kinds in the ledger's words; `;` between them, as the words hold commas.
  return CELL_VERDICTS.filter((k) => counts?.[k])
    .map((k) => `${counts![k]} ${VERDICT_LABEL[k]}`)
    .join('; ');
}

function cell(c: LedgerCell): string {
  if (c.verdict === 'missing') return '-';
  return `${briefHeadline(c.verdict, c.answers)}${verifiedFixFailed(c) ? ' (VERIFIED FIX FAILED)' : ''}`;
}
