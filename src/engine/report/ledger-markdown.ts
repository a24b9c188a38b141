import { maskDeep } from '../../base/secrets.ts';
import { briefHeadline } from '../../core/verdict.ts';
import { AGREEMENT_LABEL, CELL_VERDICTS, VERDICT_LABEL, verifiedFixFailed, type Ledger, type LedgerCell, type LedgerRow } from './ledger.ts';
import { evidenceText } from './evidence-text.ts';
import { letIn, securityNote } from './security-finding.ts';
import { EVIDENCE_FILE, evidenceHref } from './ledger-evidence.ts';
import { HEADLINE_LEGEND, legendNotes } from './legend.ts';
import { linkableScreenshot } from '../../parts/browser/screenshot-files.ts';

/**
 * Text for a table cell or a line: one line, `|` escaped so it does not end the cell, and `<` as
 * `&lt;` since outside code it would open an HTML tag (a masked secret reads `<api-key …1234>`).
 */
const text = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').replace(/</g, '&lt;');

/** A fenced block longer than any run of backticks inside it. */
function fenced(lines: string[]): string[] {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = '`'.repeat(longest + 1);
  return [fence, ...lines, fence];
}

function verdictCell(r: LedgerRow, c: LedgerCell): string {
  const fixFailed = verifiedFixFailed(c) ? ' (verified fix failed)' : '';
  const security = letIn(r, c.answers) ? 'SECURITY: ' : '';
  return `${security}**${text(briefHeadline(c.verdict, c.answers))}**${fixFailed} [answers](#${c.anchor})`;
}

function familyTable(ledger: Ledger, rows: LedgerRow[]): string[] {
  // With one version there is nothing to agree across.
  const across = ledger.versions.length > 1;
  return [
    `| § | scenario | the claim (the guide's, or what users are told) | its fix | ${ledger.versions.map((v) => `n8n ${v}`).join(' | ')} |${across ? ' across versions |' : ''}`,
    `|---|---|---|---|${ledger.versions.map(() => '---').join('|')}|${across ? '---|' : ''}`,
    ...rows.map(
      (r) =>
        `| ${text(r.section)} | \`${r.id}\`: ${text(r.title)}${securityNote(r) ? ` (${text(securityNote(r)!)})` : ''} | ${text(r.claim)} | ${text(r.fix || '—')} | ${r.cells.map((c) => verdictCell(r, c)).join(' | ')} |${across ? ` ${AGREEMENT_LABEL[r.agreement]} |` : ''}`,
    ),
  ];
}

/** What each headline word means, as a table, and the marks beside a verdict. */
export function legendMarkdown(versions: number): string[] {
  return [
    '## Legend',
    '',
    '| the cell says | kind (ledger.json, JUnit `verdict`, `--fail-on`) | what it means |',
    '|---|---|---|',
    ...HEADLINE_LEGEND.map((e) => `| ${text(e.words)} | \`${e.kind}\` | ${text(e.means)} |`),
    '',
    ...legendNotes(versions).map((n) => `- ${text(n)}`),
    '',
  ];
}

/** A cell in brief on the main page: its headline, the four answers, and where the whole evidence is. */
function answersBlock(r: LedgerRow, c: LedgerCell): string[] {
  return [
    `### <a id="${c.anchor}"></a>\`${r.id}\` on n8n ${c.version}: ${text(briefHeadline(c.verdict, c.answers))}`,
    '',
    text(c.summary),
    '',
    ...evidenceText(c).answers.map((l) => `- ${text(l)}`),
    ...(c.error ? [`- error: ${text(c.error.split('\n')[0]!)}`] : []),
    `- [fault proof, fixes, every exchange and log line](${evidenceHref(c, 'md')})`,
    '',
  ];
}

function evidenceBlock(r: LedgerRow, c: LedgerCell): string[] {
  const ev = evidenceText(c);
  const part = (title: string, lines: string[]) => (lines.length ? [`${title}:`, '', ...fenced(lines), ''] : []);
  return [
    `### <a id="${c.anchor}"></a>\`${r.id}\` on n8n ${c.version}: ${text(briefHeadline(c.verdict, c.answers))}`,
    '',
    text(c.summary),
    '',
    ...ev.answers.map((l) => `- ${text(l)}`),
    '',
    ...(c.error ? [`Error: ${text(c.error.split('\n')[0]!)}`, ''] : []),
    ...(c.evidence.screenshots ?? []).flatMap((s) => {
      const file = linkableScreenshot(s.file);
      return file ? [`![${text(`${s.phase}: ${s.caption}`).replace(/[[\]]/g, '')}](${file})`, ''] : [];
    }),
    ...part('Fault proof', ev.proof),
    ...part('Fixes', ev.fixes),
    ...part("n8n's metrics (the stack's Prometheus)", ev.metrics),
    ...part('Exchanges', ev.exchanges),
    ...part('n8n log', ev.log),
  ];
}

function runLine(ledger: Ledger): string {
  const shard = ledger.shard
    ? `; shard ${ledger.shard.index}/${ledger.shard.count} (${ledger.shard.groups.length} of ${ledger.shard.ofGroups} stack groups)`
    : '';
  return `n8n ${ledger.versions.join(', ')}; run ${ledger.startedAt} → ${ledger.finishedAt}; ${ledger.boots} n8n boot(s)${shard}; ${ledger.tool.name} ${ledger.tool.version}.`;
}

/**
 * The run as Markdown (`ledger.md`): the counts per version, the legend, a table per family with each
 * cell's verdict linking to its headline and four answers below, each of those linking to its whole
 * evidence in ledger-evidence.md (so the page stays readable for a whole catalogue).
 */
export function toLedgerMarkdown(input: Ledger): string {
  const ledger = maskDeep(input);
  const differ = (a: LedgerRow['agreement']) => ledger.rows.filter((r) => r.agreement === a).map((r) => `\`${r.id}\``);
  const kinds = CELL_VERDICTS.filter((k) => ledger.versions.some((v) => ledger.counts[v]?.[k]));
  const lines = [
    '# n8n-authlab ledger',
    '',
    runLine(ledger),
    '',
    `| n8n | ${kinds.map((k) => VERDICT_LABEL[k]).join(' | ')} |`,
    `|---|${kinds.map(() => '---').join('|')}|`,
    ...ledger.versions.map((v) => `| ${v} | ${kinds.map((k) => ledger.counts[v]?.[k] ?? 0).join(' | ')} |`),
    '',
    ...(ledger.versions.length > 1
      ? [
          `Verdict differs between versions: ${differ('differs').join(', ') || 'none'}.`,
          `Same verdict, behaviour differs: ${differ('behaviour-differs').join(', ') || 'none'}.`,
          '',
        ]
      : []),
    ...legendMarkdown(ledger.versions.length),
  ];
  for (const f of ledger.families) {
    lines.push(`## ${text(f.title)}${f.sections ? ` (guide ${text(f.sections)})` : ''}`, '');
    lines.push(
      ...familyTable(
        ledger,
        ledger.rows.filter((r) => r.family === f.id),
      ),
      '',
    );
  }
  lines.push(
    '## Answers',
    '',
    `Per claim and version: the headline and its four answers; the whole evidence is in [${EVIDENCE_FILE.md}](${EVIDENCE_FILE.md}).`,
    '',
  );
  for (const r of ledger.rows) for (const c of r.cells) lines.push(...answersBlock(r, c));
  return `${lines.join('\n')}\n`;
}

/** Every cell's whole evidence (`ledger-evidence.md`), each block at the anchor ledger.md links to. */
export function toLedgerEvidenceMarkdown(input: Ledger): string {
  const ledger = maskDeep(input);
  const lines = [
    '# n8n-authlab ledger: evidence',
    '',
    `${runLine(ledger)} The verdicts and the legend: [ledger.md](ledger.md).`,
    '',
    'Per claim and version: the fault proof, each fix, every exchange (secrets masked as recorded) and what n8n logged.',
    '',
  ];
  for (const r of ledger.rows) for (const c of r.cells) lines.push(...evidenceBlock(r, c));
  return `${lines.join('\n')}\n`;
}
