import { ledgerCatalogue } from '../../src/families/registry.ts';
import { describe, expect, test } from 'vitest';
import { buildLedger, CELL_VERDICTS } from '../../src/engine/report/ledger.ts';
import { toLedgerEvidenceHtml, toLedgerHtml } from '../../src/engine/report/ledger-html.ts';
import { toLedgerEvidenceMarkdown, toLedgerMarkdown } from '../../src/engine/report/ledger-markdown.ts';
import { catalogueRun, sampleResults, V1, V2 } from '../support/ledger-fixtures.ts';

const ledger = buildLedger(catalogueRun([V1, V2], sampleResults()), '9.9.9', ledgerCatalogue);

describe('the Markdown and HTML ledgers', () => {
  const md = toLedgerMarkdown(ledger);
  const html = toLedgerHtml(ledger);
  const evidenceMd = toLedgerEvidenceMarkdown(ledger);
  const evidenceHtml = toLedgerEvidenceHtml(ledger);

  test('Markdown: a table per family, each cell linking to its answers, each answers block to its whole evidence', () => {
    expect(md).toContain('## Headers and key values');
    expect(md).toContain(
      '| 4 | `headers.nbsp`: the title of headers.nbsp | the claim of headers.nbsp | the guide fix | **does not happen (200)** [answers](#ev-headers-nbsp-1-116-2) | **real, as the guide says** [answers](#ev-headers-nbsp-2-41-0) | differs |',
    );
    expect(md).toContain("| n8n | real, as the guide says | real; the guide's fix fails | does not happen | no result |");
    expect(md).toContain('- does the failure happen: yes');
    expect(md).toContain('a key \\| a scope');
    expect(md).toMatch(/`secrets\.env-file-not-mounted`.*\| behaviour differs \|/);
    const links = [...md.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links).toHaveLength(8);
    for (const id of links) {
      expect(md).toContain(`<a id="${id}"></a>`);
      expect(md).toContain(`](ledger-evidence.md#${id})`);
      expect(evidenceMd).toContain(`<a id="${id}"></a>`);
    }
    expect(evidenceMd).toContain('GET http://n8n:5678/api/v1/workflows');
    expect(md).not.toContain('GET http://n8n:5678/api/v1/workflows');
  });

  test('HTML: every link lands on an element of its page, every evidence link on one of the evidence page', () => {
    const links = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(links.filter((l) => l.startsWith('ev-'))).toHaveLength(8);
    for (const id of links) expect(html).toContain(`id="${id}"`);
    const evidenceLinks = [...html.matchAll(/href="ledger-evidence\.html#([^"]+)"/g)].map((m) => m[1]!);
    expect(evidenceLinks).toHaveLength(8);
    for (const id of evidenceLinks) expect(evidenceHtml).toContain(`id="${id}"`);
    expect(html).toContain('<td class="does-not-happen"');
    expect(html).toContain('<td class="missing"');
  });

  test('HTML: self-contained, escaped, no URL outside recorded exchanges', () => {
    for (const page of [html, evidenceHtml]) {
      for (const s of ['<link', '<script', 'src="http', 'href="http', '@import', 'url(']) expect(page).not.toContain(s);
      expect(page).toContain('<style>');
      expect(page.replace(/<pre>[\s\S]*?<\/pre>/g, '')).not.toMatch(/https?:\/\//);
    }
    expect(evidenceHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(evidenceHtml).toMatch(/<pre>[^<]*http:\/\/n8n:5678\/api\/v1\/workflows/);
  });

  test('a legend in both pages names every kind in the words the cells use', () => {
    for (const page of [md, html]) {
      expect(page).toContain('Legend');
      for (const k of CELL_VERDICTS) expect(page).toContain(k);
      expect(page).toContain('real, as the guide says (a row not in the guide: real, as claimed)');
      expect(page).toContain('verified fix failed');
    }
  });

  test('one version: no agreement across versions is claimed, no column for it', () => {
    const one = buildLedger(catalogueRun([V2], sampleResults()), '9.9.9', ledgerCatalogue);
    for (const page of [toLedgerMarkdown(one), toLedgerHtml(one)]) {
      expect(page).not.toMatch(/agrees across versions|differs between versions|across versions:/i);
      expect(page).not.toContain('across versions</th>');
      expect(page).not.toContain('| across versions |');
    }
  });
});
