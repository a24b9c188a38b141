import { maskDeep } from '../../base/secrets.ts';
import { linkableScreenshot } from '../../parts/browser/screenshot-files.ts';
import { briefHeadline } from '../../core/verdict.ts';
import { AGREEMENT_LABEL, CELL_VERDICTS, VERDICT_LABEL, verifiedFixFailed, type Ledger, type LedgerCell, type LedgerRow } from './ledger.ts';
import { evidenceText } from './evidence-text.ts';
import { letIn, securityNote } from './security-finding.ts';
import { EVIDENCE_FILE, evidenceHref } from './ledger-evidence.ts';
import { HEADLINE_LEGEND, legendNotes } from './legend.ts';

/**
 * Text for HTML element content or a double-quoted attribute: `&`, `<`, `>`, `"` and `'` as character
 * references (`&#39;`, since `&apos;` is not an HTML 4 entity). Unlike XML 1.0, HTML has no
 * character that breaks the page: a control character is a recoverable parse error (the parser drops
 * or replaces NUL), so the text is kept as recorded, a key's stray bytes included, where the JUnit
 * writer must rewrite them. Data goes only there: never into `<style>`, and into no URL but the
 * `#anchor`s, which are `[A-Za-z0-9_-]` (anchorOf), and screenshots' relative paths (linkableScreenshot).
 */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The look every HTML report shares (the ledger, the check's): text, tables, code. */
export const BASE_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1400px; padding: 0 1em; color: #1d1d1f; }
table { border-collapse: collapse; margin: .5em 0 1.5em; width: 100%; }
th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
pre { white-space: pre-wrap; word-break: break-all; background: #f7f7f7; padding: .5em; margin: .3em 0; }`;

// Everything the page needs is in it: read offline, attached to a CI run, no assets, no scripts.
const STYLE = `${BASE_STYLE}
.as-the-guide-says, .works-as-the-guide-says { background: #dff3e0; }
.answers-otherwise, .guide-fix-fails, .answers-otherwise-guide-fix-fails, .fails-unlike-the-guide { background: #fbe0dc; }
.does-not-happen { background: #dde8f8; }
.inconclusive { background: #fff4cc; }
.not-runnable { background: #e8e8e8; }
.missing { background: #fff; color: #888; }
.differs { font-weight: bold; color: #a40000; }
.behaviour-differs { font-weight: bold; color: #8a5a00; }
td a { color: inherit; }
.fixfailed { font-size: 12px; color: #a40000; }
.security { color: #a40000; }
section.evidence { border-top: 1px solid #ddd; padding: .5em 0; }
section.evidence:target { background: #fffbe6; outline: 2px solid #e0b000; }
summary { cursor: pointer; }
.shots { display: flex; flex-wrap: wrap; gap: .4em; margin-top: .3em; }
.shots figure { margin: 0; font-size: 11px; color: #555; }
.shots img { display: block; border: 1px solid #bbb; }
`;

const rowAnchor = (id: string) => `row-${id}`.replace(/[^A-Za-z0-9_-]/g, '-');

/** The cell's screenshots, `width` pixels wide, each linking to the full picture. */
function pictures(c: LedgerCell, width: number): string {
  const shots = (c.evidence.screenshots ?? []).flatMap((s) => {
    const src = linkableScreenshot(s.file);
    return src
      ? [`<figure><a href="${esc(src)}"><img src="${esc(src)}" width="${width}" alt="${esc(s.caption)}"></a><figcaption>${esc(s.phase)}</figcaption></figure>`]
      : [];
  });
  return shots.length ? `<div class="shots">${shots.join('')}</div>` : '';
}

function cellTd(r: LedgerRow, c: LedgerCell): string {
  const fixFailed = verifiedFixFailed(c) ? '<br><span class="fixfailed">verified fix failed</span>' : '';
  const who = letIn(r, c.answers);
  const security = who ? `<strong class="security" title="lets in ${esc(who)}">SECURITY</strong> ` : '';
  return `<td class="${esc(c.verdict)}" title="${esc(c.headline)}">${security}<a href="#${esc(c.anchor)}">${esc(briefHeadline(c.verdict, c.answers))}</a>${fixFailed}${pictures(c, 150)}</td>`;
}

function summary(ledger: Ledger): string {
  const kinds = CELL_VERDICTS.filter((k) => ledger.versions.some((v) => ledger.counts[v]?.[k]));
  const head = `<tr><th>n8n</th>${kinds.map((k) => `<th class="${k}">${esc(VERDICT_LABEL[k])}</th>`).join('')}</tr>`;
  const body = ledger.versions.map((v) => `<tr><td>${esc(v)}</td>${kinds.map((k) => `<td>${ledger.counts[v]?.[k] ?? 0}</td>`).join('')}</tr>`);
  const table = `<table>${head}${body.join('')}</table>`;
  // One version has nothing to agree or differ across.
  if (ledger.versions.length < 2) return table;
  const differing = ledger.rows.filter((r) => r.agreement !== 'same');
  const list = differing.length
    ? `<ul>${differing.map((r) => `<li><a href="#${rowAnchor(r.id)}"><code>${esc(r.id)}</code></a>: <span class="${esc(r.agreement)}">${AGREEMENT_LABEL[r.agreement]}</span> (${r.cells.map((c) => `${esc(c.version)} ${esc(briefHeadline(c.verdict, c.answers))}${c.behaviour ? `: ${esc(c.behaviour)}` : ''}`).join('; ')})</li>`).join('')}</ul>`
    : '<p>Every row agrees across versions.</p>';
  return `${table}\n<h2>Rows that differ between versions</h2>\n${list}`;
}

function legend(versions: number): string {
  const rows = HEADLINE_LEGEND.map((e) => `<tr><td class="${e.kind}">${esc(e.words)}</td><td><code>${e.kind}</code></td><td>${esc(e.means)}</td></tr>`);
  return `<h2>Legend</h2>\n<table><tr><th>the cell says</th><th>kind (ledger.json, JUnit <code>verdict</code>, <code>--fail-on</code>)</th><th>what it means</th></tr>${rows.join('')}</table>\n<ul>${legendNotes(
    versions,
  )
    .map((n) => `<li>${esc(n)}</li>`)
    .join('')}</ul>`;
}

function familyTable(ledger: Ledger, rows: LedgerRow[]): string {
  const across = ledger.versions.length > 1;
  const head = `<tr><th>§</th><th>the claim (the guide's, or what users are told)</th><th>its fix</th>${ledger.versions.map((v) => `<th>n8n ${esc(v)}</th>`).join('')}${across ? '<th>across versions</th>' : ''}</tr>`;
  const body = rows.map(
    (r) =>
      `<tr id="${rowAnchor(r.id)}"><td>${esc(r.section)}</td><td><code>${esc(r.id)}</code>: ${esc(r.claim)}${securityNote(r) ? ` <em class="security">(${esc(securityNote(r)!)})</em>` : ''}</td><td>${esc(r.fix || '—')}</td>${r.cells.map((c) => cellTd(r, c)).join('')}${across ? `<td class="${esc(r.agreement)}">${AGREEMENT_LABEL[r.agreement]}</td>` : ''}</tr>`,
  );
  return `<table>\n${head}\n${body.join('\n')}\n</table>`;
}

/** A cell in brief on the main page: its headline, the four answers, and where the whole evidence is. */
function answersSection(r: LedgerRow, c: LedgerCell): string {
  const answers = evidenceText(c).answers;
  return [
    `<section class="evidence" id="${esc(c.anchor)}">`,
    `<h3><code>${esc(r.id)}</code> on n8n ${esc(c.version)}: <span class="${esc(c.verdict)}">${esc(briefHeadline(c.verdict, c.answers))}</span></h3>`,
    `<p>${esc(c.summary)}</p>`,
    answers.length ? `<ul>${answers.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '',
    c.error ? `<p>Error: ${esc(c.error.split('\n')[0]!)}</p>` : '',
    `<p><a href="${esc(evidenceHref(c, 'html'))}">fault proof, fixes, every exchange and log line</a></p>`,
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

function evidenceSection(r: LedgerRow, c: LedgerCell): string {
  const ev = evidenceText(c);
  const part = (title: string, lines: string[], open = false) =>
    lines.length ? `<details${open ? ' open' : ''}><summary>${title} (${lines.length})</summary><pre>${esc(lines.join('\n'))}</pre></details>` : '';
  return [
    `<section class="evidence" id="${esc(c.anchor)}">`,
    `<h3><code>${esc(r.id)}</code> on n8n ${esc(c.version)}: <span class="${esc(c.verdict)}">${esc(briefHeadline(c.verdict, c.answers))}</span></h3>`,
    `<p>${esc(c.summary)}</p>`,
    ev.answers.length ? `<ul>${ev.answers.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '',
    c.behaviour ? `<p>Symptom answers: <code>${esc(c.behaviour)}</code></p>` : '',
    c.error ? `<p>Error: ${esc(c.error.split('\n')[0]!)}</p>` : '',
    pictures(c, 480),
    part('fault proof', ev.proof, true),
    part('fixes', ev.fixes, true),
    part("n8n's metrics (the stack's Prometheus)", ev.metrics, true),
    part('exchanges', ev.exchanges),
    part('n8n log', ev.log),
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

function page(title: string, ledger: Ledger, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}: n8n ${esc(ledger.versions.join(', '))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>n8n ${esc(ledger.versions.join(', '))}; run ${esc(ledger.startedAt)} → ${esc(ledger.finishedAt)}; ${ledger.boots} n8n boot(s); ${esc(ledger.tool.name)} ${esc(ledger.tool.version)}.</p>
${body}
</body>
</html>
`;
}

/**
 * The ledger as a self-contained HTML page: the counts, the legend, a table per family, and each
 * cell's headline and four answers, linking to its whole evidence in ledger-evidence.html.
 */
export function toLedgerHtml(input: Ledger): string {
  const ledger = maskDeep(input);
  const families = ledger.families.map(
    (f) =>
      `<h2>${esc(f.title)}${f.sections ? ` (guide ${esc(f.sections)})` : ''}</h2>\n${familyTable(
        ledger,
        ledger.rows.filter((r) => r.family === f.id),
      )}`,
  );
  const answers = ledger.rows.flatMap((r) => r.cells.map((c) => answersSection(r, c)));
  return page(
    'n8n-authlab ledger',
    ledger,
    [
      summary(ledger),
      legend(ledger.versions.length),
      ...families,
      `<h2>Answers</h2>\n<p>Per claim and version: the headline and its four answers; the whole evidence is in <a href="${EVIDENCE_FILE.html}">${EVIDENCE_FILE.html}</a>.</p>`,
      ...answers,
    ].join('\n'),
  );
}

/** Every cell's whole evidence (`ledger-evidence.html`), each section at the anchor ledger.html links to. */
export function toLedgerEvidenceHtml(input: Ledger): string {
  const ledger = maskDeep(input);
  const evidence = ledger.rows.flatMap((r) => r.cells.map((c) => evidenceSection(r, c)));
  return page('n8n-authlab ledger: evidence', ledger, [`<p>The verdicts and the legend: <a href="ledger.html">ledger.html</a>.</p>`, ...evidence].join('\n'));
}
