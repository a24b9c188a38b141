import { ledgerCatalogue } from '../../src/families/registry.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildLedger, toLedgerJson } from '../../src/engine/report/ledger.ts';
import { toLedgerEvidenceHtml, toLedgerHtml } from '../../src/engine/report/ledger-html.ts';
import { toLedgerEvidenceMarkdown } from '../../src/engine/report/ledger-markdown.ts';
import type { ScenarioResult, Screenshot } from '../../src/core/types.ts';
import { catalogueRun, scenarioResult, V2 } from '../support/ledger-fixtures.ts';

const shots: Screenshot[] = [
  { phase: 'symptom', caption: 'http://n8n.lab:1234/signin: the secure-cookie page', file: 'screenshots/browser.secure-cookie-http@2.41.0-symptom.png' },
  { phase: 'fix-tls', caption: 'https://n8n.lab:1234/home/workflows', file: 'screenshots/browser.secure-cookie-http@2.41.0-fix-tls.png' },
  // Never a URL that leaves the reports folder or names a scheme: left out of the page.
  { phase: 'bad', caption: 'x', file: '../outside.png' },
  { phase: 'bad', caption: 'x', file: 'javascript:alert(1)' },
];

function withShots(): ScenarioResult {
  const r = scenarioResult('browser.secure-cookie-http', 'browser', V2, { symptom: [[401, 'rejected']], section: 'not in the guide' });
  return { ...r, observation: { ...r.observation, screenshots: shots } };
}

describe("a browser scenario's screenshots in the ledgers", () => {
  const ledger = buildLedger(catalogueRun([V2], [withShots()]), '9.9.9', ledgerCatalogue);

  test('the cell carries them as evidence, and the JSON keeps them', () => {
    expect(ledger.rows[0]!.cells[0]!.evidence.screenshots).toEqual(shots);
    expect(JSON.parse(toLedgerJson(ledger)).rows[0].cells[0].evidence.screenshots).toHaveLength(4);
    const schema = readFileSync(new URL('../../docs/ledger.schema.json', import.meta.url), 'utf8');
    expect(schema).toContain('"screenshots"');
  });

  test('the HTML shows each next to the verdict and in the evidence, by relative path only', () => {
    const srcsOf = (page: string) => [...page.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    expect(srcsOf(toLedgerHtml(ledger))).toEqual([shots[0]!.file, shots[1]!.file]);
    const html = toLedgerEvidenceHtml(ledger);
    expect(srcsOf(html)).toEqual([shots[0]!.file, shots[1]!.file]);
    expect(html).not.toContain('outside.png');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<figcaption>symptom</figcaption>');
  });

  test('the Markdown links them as images', () => {
    const md = toLedgerEvidenceMarkdown(ledger);
    expect(md).toContain(`](${shots[0]!.file})`);
    expect(md).not.toContain('javascript:');
  });
});
