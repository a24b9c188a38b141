import { describe, expect, test } from 'vitest';
import { buildLedger } from '../../src/engine/report/ledger.ts';
import { toLedgerMarkdown } from '../../src/engine/report/ledger-markdown.ts';
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
