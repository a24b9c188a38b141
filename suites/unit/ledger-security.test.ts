import { describe, expect, test } from 'vitest';
import { buildLedger } from '../../src/engine/report/ledger.ts';
import { toLedgerHtml } from '../../src/engine/report/ledger-html.ts';
import { ledgerSummaryMarkdown } from '../../src/engine/report/ledger-summary.ts';
import { toLedgerMarkdown } from '../../src/engine/report/ledger-markdown.ts';
import { letIn, withSecurityMarks } from '../../src/engine/report/security-finding.ts';
import { ledgerCatalogue } from '../../src/families/registry.ts';
import { catalogueRun, scenarioResult, V1, V2 } from '../support/ledger-fixtures.ts';

const ID = 'allowlist.nginx-hops-exceed-proxies';
const WHO = 'any client that sends X-Forwarded-For with a listed address';

describe('a security finding in the ledger', () => {
  // The failure happened on V1 (refused: the fixture's failure) and not on V2 (accepted).
  const results = [
    { ...scenarioResult(ID, 'allowlist', V1, { symptom: [[401, 'rejected']] }), security: WHO },
    { ...scenarioResult(ID, 'allowlist', V2, { symptom: [[200, 'accepted']] }), security: WHO },
  ];
  const ledger = buildLedger(catalogueRun([V1, V2], results), '9.9.9', ledgerCatalogue);
  const row = ledger.rows.find((r) => r.id === ID)!;
  const line = toLedgerMarkdown(ledger)
    .split('\n')
    .find((l) => l.includes(`\`${ID}\``) && l.startsWith('|'))!;

  test('the row carries whom the failure lets in', () => expect(row.security).toBe(WHO));
  test('ledger.md marks the row, and starts with SECURITY only the cells where the failure happened', () => {
    expect(line).toContain(`(security finding: lets in ${WHO})`);
    const cells = line.split(' | ');
    expect(cells.filter((c) => c.startsWith('SECURITY: '))).toHaveLength(1);
  });
  test('a row without a finding has no such field', () => {
    const plain = buildLedger(catalogueRun([V1], [scenarioResult(ID, 'allowlist', V1, { symptom: [[401, 'rejected']] })]), '9.9.9', ledgerCatalogue);
    expect(plain.rows[0]).not.toHaveProperty('security');
  });
});

describe('a refusal that keeps someone out: a security finding where n8n does not refuse', () => {
  const BAD_COOKIE = 'forms.chat-user-auth-bad-cookie';
  const KEPT_OUT = 'anyone who sends any n8n-auth cookie, signed in or not';
  // Refused on V2 (the refusal happened); let through on V1 (it did not: the forged cookie got in).
  const results = [
    { ...scenarioResult(BAD_COOKIE, 'forms', V1, { symptom: [[200, 'accepted']] }), refusalKeepsOut: KEPT_OUT },
    { ...scenarioResult(BAD_COOKIE, 'forms', V2, { symptom: [[401, 'rejected']] }), refusalKeepsOut: KEPT_OUT },
  ];
  const ledger = buildLedger(catalogueRun([V1, V2], results), '9.9.9', ledgerCatalogue);
  const row = ledger.rows.find((r) => r.id === BAD_COOKIE)!;

  test('only the cell where n8n let the request through lets someone in', () => {
    expect(row.refusalKeepsOut).toBe(KEPT_OUT);
    expect(row.cells.map((c) => letIn(row, c.answers))).toEqual([KEPT_OUT, undefined]);
  });
  test('ledger.md and ledger.html mark the row, and that one cell', () => {
    const line = toLedgerMarkdown(ledger)
      .split('\n')
      .find((l) => l.includes(`\`${BAD_COOKIE}\``) && l.startsWith('|'))!;
    expect(line).toContain(`(a security finding where n8n does not refuse: it lets in ${KEPT_OUT})`);
    expect(line.split(' | ').filter((c) => c.startsWith('SECURITY: '))).toHaveLength(1);
    const html = toLedgerHtml(ledger);
    expect(html.match(/<strong class="security" title="lets in [^"]*">SECURITY<\/strong>/g)).toHaveLength(1);
    expect(html).toContain('a security finding where n8n does not refuse');
  });
  test('an unjudged result lets nobody in, and a scenario without marks never does', () => {
    expect(letIn({ refusalKeepsOut: KEPT_OUT }, undefined)).toBeUndefined();
    expect(letIn({}, { happens: 'no' })).toBeUndefined();
    expect(letIn({ security: WHO }, { happens: 'partly' })).toBe(WHO);
    expect(letIn({ refusalKeepsOut: KEPT_OUT }, { happens: 'partly' })).toBe(KEPT_OUT);
  });
  test("a ledger recorded before the catalogue marked a row gets the catalogue's marks, answers untouched", () => {
    const { refusalKeepsOut: _dropped, ...unmarked } = row;
    const old = { ...ledger, rows: [unmarked] };
    const marked = withSecurityMarks(old, new Map([[BAD_COOKIE, { refusalKeepsOut: KEPT_OUT }]]));
    expect(marked.rows[0]).toEqual(row);
    expect(withSecurityMarks(old, new Map()).rows[0]).toEqual(unmarked);
  });
});

describe('summary.md lists the security findings', () => {
  test('each row with a cell that let someone in: whom, and on which versions', () => {
    const results = [
      { ...scenarioResult(ID, 'allowlist', V1, { symptom: [[401, 'rejected']] }), security: WHO },
      { ...scenarioResult(ID, 'allowlist', V2, { symptom: [[401, 'rejected']] }), security: WHO },
    ];
    const summary = ledgerSummaryMarkdown(buildLedger(catalogueRun([V1, V2], results), '9.9.9', ledgerCatalogue));
    expect(summary).toContain(`| \`${ID}\` | ${WHO} | ${V1}, ${V2} |`);
    const none = ledgerSummaryMarkdown(
      buildLedger(catalogueRun([V1], [scenarioResult(ID, 'allowlist', V1, { symptom: [[401, 'rejected']] })]), '9.9.9', ledgerCatalogue),
    );
    expect(none).not.toContain('Security findings');
  });
});
