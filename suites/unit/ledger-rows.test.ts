import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/base/user-error.ts';
import { buildLedger } from '../../src/engine/report/ledger.ts';
import { diffLedgers } from '../../src/engine/report/ledger-diff.ts';
import { selectRows } from '../../src/engine/report/ledger-rows.ts';
import { ledgerCatalogue } from '../../src/families/registry.ts';
import { catalogueRun, sampleResults, scenarioResult, V1, V2 } from '../support/ledger-fixtures.ts';

const before = buildLedger(catalogueRun([V1, V2], sampleResults()), '9.9.9', ledgerCatalogue);
/** A newer catalogue's run: the same rows and one of a family the old catalogue lacks. */
const after = buildLedger(
  catalogueRun([V1, V2], [...sampleResults(), scenarioResult('mcp.server-access-disabled', 'mcp', V2, { symptom: [[404, 'rejected']] })]),
  '9.9.9',
  ledgerCatalogue,
);

describe('authlab diff --family / --only: the rows compared', () => {
  test('the whole ledgers: the new family is a row added', () => {
    expect(diffLedgers(before, after).changes.map((c) => `${c.kind} ${c.id}`)).toEqual(['row-added mcp.server-access-disabled']);
  });

  test('the families both catalogues have: nothing changed', () => {
    const [old, current] = selectRows([before, after], { families: ['secrets', 'headers'] });
    expect(new Set(current!.rows.map((r) => r.family))).toEqual(new Set(['secrets', 'headers']));
    expect(diffLedgers(old!, current!).changes).toEqual([]);
  });

  test('an id or an id prefix (ending in a dot) picks rows', () => {
    expect(selectRows([after], { ids: ['mcp.'] })[0]!.rows.map((r) => r.id)).toEqual(['mcp.server-access-disabled']);
    expect(selectRows([after], { ids: ['headers.nbsp'] })[0]!.rows.map((r) => r.id)).toEqual(['headers.nbsp']);
  });

  test('a family or scenario neither ledger has is named in one line', () => {
    expect(() => selectRows([before, after], { families: ['heders'], ids: ['nope.x'] })).toThrow(UserError);
    expect(() => selectRows([before, after], { families: ['heders'], ids: ['nope.x'] })).toThrow('neither ledger has a row of family heders, scenario nope.x');
  });
});
