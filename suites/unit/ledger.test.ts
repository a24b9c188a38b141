import { ledgerCatalogue } from '../../src/families/registry.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { toJUnit } from '../../src/engine/report/junit.ts';
import { buildLedger, CELL_VERDICTS, toLedgerJson, type Ledger } from '../../src/engine/report/ledger.ts';
import { describeDiff, diffLedgers, LedgerReadError, readLedger } from '../../src/engine/report/ledger-diff.ts';
import { toLedgerEvidenceHtml, toLedgerHtml } from '../../src/engine/report/ledger-html.ts';
import { toLedgerEvidenceMarkdown, toLedgerMarkdown } from '../../src/engine/report/ledger-markdown.ts';
import { mergeLedgers } from '../../src/engine/report/ledger-merge.ts';
import { verdictTable } from '../../src/engine/report/table.ts';
import { catalogueRun, FIXTURE_SECRET, sampleResults, scenarioResult, V1, V2 } from '../support/ledger-fixtures.ts';

const ledger = buildLedger(catalogueRun([V1, V2], sampleResults()), '9.9.9', ledgerCatalogue);
const row = (l: Ledger, id: string) => l.rows.find((r) => r.id === id)!;

type Schema = { [k: string]: unknown };

/** Enough of JSON Schema for docs/ledger.schema.json: type, const, enum, required, properties, items, $ref, anyOf. */
function violations(value: unknown, schema: Schema, root: Schema, at = '$'): string[] {
  if (typeof schema.$ref === 'string') return violations(value, (root.$defs as Record<string, Schema>)[schema.$ref.replace('#/$defs/', '')]!, root, at);
  if (Array.isArray(schema.anyOf))
    return (schema.anyOf as Schema[]).some((s) => violations(value, s, root, at).length === 0) ? [] : [`${at}: matches none of anyOf`];
  if ('const' in schema && value !== schema.const) return [`${at}: not ${JSON.stringify(schema.const)}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string);
  if (types.length && !types.some((t) => t === typeOf(value) || (t === 'number' && typeOf(value) === 'integer')))
    return [`${at}: ${typeOf(value)}, expected ${types.join('|')}`];
  const out: string[] = [];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const k of (schema.required as string[] | undefined) ?? []) if (!(k in obj)) out.push(`${at}.${k}: required`);
    for (const [k, s] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {}))
      if (k in obj) out.push(...violations(obj[k], s, root, `${at}.${k}`));
    if (typeof schema.additionalProperties === 'object')
      for (const [k, v] of Object.entries(obj))
        if (!(k in ((schema.properties as object) ?? {}))) out.push(...violations(v, schema.additionalProperties as Schema, root, `${at}.${k}`));
  }
  if (Array.isArray(value) && typeof schema.items === 'object')
    for (const [i, v] of value.entries()) out.push(...violations(v, schema.items as Schema, root, `${at}[${i}]`));
  return out;
}

describe('the ledger: a row per claim, a cell per version', () => {
  test('rows follow the catalogue, with the guide claim and one cell per version', () => {
    expect(ledger.rows.map((r) => r.id)).toEqual(['headers.missing-header', 'headers.nbsp', 'endpoints.key-scopes', 'secrets.env-file-not-mounted']);
    expect(ledger.families.map((f) => f.id)).toEqual(['headers', 'endpoints', 'secrets']);
    expect(row(ledger, 'headers.nbsp')).toMatchObject({
      family: 'headers',
      section: '4',
      claim: 'the claim of headers.nbsp',
      fix: 'the guide fix',
      title: 'the title of headers.nbsp',
    });
    for (const r of ledger.rows) expect(r.cells.map((c) => c.version)).toEqual([V1, V2]);
  });

  test('agreement: same, differs (verdict or a missing cell), behaviour-differs', () => {
    expect(row(ledger, 'headers.missing-header')).toMatchObject({ agreement: 'same', status: 'as-the-guide-says' });
    expect(row(ledger, 'headers.nbsp')).toMatchObject({ agreement: 'differs', status: 'differs' });
    expect(row(ledger, 'secrets.env-file-not-mounted')).toMatchObject({ agreement: 'behaviour-differs', status: 'guide-fix-fails' });
    expect(row(ledger, 'endpoints.key-scopes')).toMatchObject({ agreement: 'differs', status: 'differs' });
    expect(row(ledger, 'endpoints.key-scopes').cells[1]).toMatchObject({ verdict: 'missing', correctFixResolves: null, behaviour: '' });
  });

  test('cells carry an anchor, the behaviour signature and the evidence', () => {
    const cell = row(ledger, 'headers.nbsp').cells[0]!;
    expect(cell.anchor).toBe('ev-headers-nbsp-1-116-2');
    expect(cell.behaviour).toBe('200 accepted');
    expect(row(ledger, 'headers.missing-header').cells[1]!.behaviour).toBe('401 rejected; 401 rejected');
    expect(cell.evidence.faultProof).toHaveLength(1);
    expect(cell.evidence.exchanges.map((x) => [x.phase, x.remedy])).toEqual([
      ['symptom', undefined],
      ['remedy', 0],
      ['remedy', 1],
    ]);
    expect(cell.evidence.exchanges[0]!.exchange).not.toHaveProperty('n8nLog');
    expect(cell.evidence.log).toEqual([{ exchange: 0, line: 'debug: API key <api-key …3a9c> checked' }]);
    const none = Object.fromEntries(CELL_VERDICTS.map((k) => [k, 0]));
    expect(ledger.counts).toEqual({
      [V1]: { ...none, 'as-the-guide-says': 1, 'guide-fix-fails': 1, 'does-not-happen': 2 },
      [V2]: { ...none, 'as-the-guide-says': 2, 'guide-fix-fails': 1, missing: 1 },
    });
  });

  test("a cell's metrics evidence, read or not, matches docs/ledger.schema.json", () => {
    const schema = JSON.parse(readFileSync(new URL('../../docs/ledger.schema.json', import.meta.url), 'utf8')) as Schema;
    const read = {
      query: 'q',
      before: { at: 't0', source: 'n8n', byStatus: { '401': 1 } },
      after: { at: 't1', source: 'p', byStatus: { '401': 2 } },
      scraped: true,
      failingStatuses: ['401'],
      shows: true,
      reading: 'r',
      alert: { name: 'a', firesFor: ['401'] },
    };
    for (const metrics of [read, { query: 'q', error: 'no Prometheus' }]) {
      const r = scenarioResult('headers.nbsp', 'headers', V2, { symptom: [[401, 'rejected']] });
      const json = JSON.parse(
        toLedgerJson(buildLedger(catalogueRun([V2], [{ ...r, observation: { ...r.observation, metrics } }]), 't', ledgerCatalogue)),
      ) as Ledger;
      expect(json.rows[0]!.cells[0]!.evidence.metrics).toEqual(metrics);
      expect(violations(json, schema, schema)).toEqual([]);
    }
    expect(violations({ query: 'q', shows: true }, { $ref: '#/$defs/metrics' }, schema)).toEqual(['$: matches none of anyOf']);
  });

  test('the JSON matches docs/ledger.schema.json', () => {
    const schema = JSON.parse(readFileSync(new URL('../../docs/ledger.schema.json', import.meta.url), 'utf8')) as Schema;
    const json = JSON.parse(toLedgerJson(ledger)) as Ledger;
    expect(json).toMatchObject({
      schema: 'n8n-authlab/ledger',
      schemaVersion: 2,
      tool: { name: 'n8n-authlab', version: '9.9.9' },
      versions: [V1, V2],
      boots: 3,
    });
    expect(violations(json, schema, schema)).toEqual([]);
    expect(violations({ ...json, rows: [{ id: 1 }], schema: 'x' }, schema, schema)).toEqual(
      expect.arrayContaining(['$.schema: not "n8n-authlab/ledger"', '$.rows[0].cells: required', '$.rows[0].id: integer, expected string']),
    );
  });

  test('a registered secret appears in no format', () => {
    const rendered = [
      JSON.stringify(ledger),
      toLedgerJson(ledger),
      toLedgerMarkdown(ledger),
      toLedgerHtml(ledger),
      toLedgerEvidenceMarkdown(ledger),
      toLedgerEvidenceHtml(ledger),
      toJUnit(ledger),
      verdictTable(ledger),
    ];
    for (const text of rendered) expect(text).not.toContain(FIXTURE_SECRET);
    expect(toLedgerJson(ledger)).toContain('<api-key …3a9c>');
  });
});

describe('diffing two ledgers', () => {
  test('versions in both are compared one by one: headline, each answer, behaviour, fix, rows added and removed', () => {
    const after = sampleResults()
      .filter((r) => r.id !== 'endpoints.key-scopes')
      .map((r) => {
        if (r.version !== V2) return r;
        if (r.id === 'headers.missing-header') return scenarioResult(r.id, r.family, V2, { symptom: [[401, 'rejected']] });
        if (r.id === 'secrets.env-file-not-mounted')
          return scenarioResult(r.id, r.family, V2, {
            symptom: [
              [401, 'rejected'],
              [404, 'not-found'],
            ],
            section: '7',
            guideFixWorks: false,
          });
        if (r.id === 'headers.nbsp') return { ...r, correctFixResolves: false };
        return r;
      });
    after.push(scenarioResult('headers.wrong-value', 'headers', V1, { symptom: [[401, 'rejected']] }));
    const diff = diffLedgers(ledger, buildLedger(catalogueRun([V1, V2], after), '9.9.9', ledgerCatalogue));
    expect(diff.crossVersion).toBe(false);
    expect(diff.pairs).toEqual([
      { before: V1, after: V1 },
      { before: V2, after: V2 },
    ]);
    expect(describeDiff(diff)).toEqual([
      'headers.missing-header: behaviour changed on n8n 2.41.0, still real, as the guide says: 401 rejected; 401 rejected -> 401 rejected',
      'row added: headers.wrong-value [1] the claim of headers.wrong-value',
      'headers.nbsp: the verified fix stopped working on n8n 2.41.0',
      "secrets.env-file-not-mounted: real; the guide's fix fails -> real; answers otherwise; the guide's fix fails on n8n 2.41.0",
      'secrets.env-file-not-mounted: does the failure happen on n8n 2.41.0: only on probe 1; not on probe 2 -> yes',
      'secrets.env-file-not-mounted: does it answer as the guide says on n8n 2.41.0: yes: 401 "unauthorized" -> no: 401 "unauthorized" / 404 "unauthorized"; the guide says 401',
      'row removed: endpoints.key-scopes [F] a key | a scope',
    ]);
  });

  test('an identical ledger gives no change', () => {
    expect(diffLedgers(ledger, buildLedger(catalogueRun([V1, V2], sampleResults()), '9.9.9', ledgerCatalogue)).changes).toEqual([]);
  });

  test('with no version in common, the last version of each is compared, and the first line says so', () => {
    const before = buildLedger(catalogueRun([V1], sampleResults()), '9.9.9', ledgerCatalogue);
    const after = buildLedger(catalogueRun([V2], sampleResults()), '9.9.9', ledgerCatalogue);
    const diff = diffLedgers(before, after);
    expect(diff).toMatchObject({ crossVersion: true, pairs: [{ before: V1, after: V2 }] });
    expect(describeDiff(diff)).toEqual([
      "no version in common: comparing the old ledger's n8n 1.116.2 with the new ledger's n8n 2.41.0",
      'headers.nbsp: does not happen on n8n 1.116.2 -> real, as the guide says on n8n 2.41.0',
      'headers.nbsp: does the failure happen on n8n 1.116.2 -> 2.41.0: no -> yes',
      'headers.nbsp: does it answer as the guide says on n8n 1.116.2 -> 2.41.0: not asked (it does not happen): 200 "<script>alert(1)</script> echoed <api-key …>" -> yes: 401 "unauthorized"',
      'secrets.env-file-not-mounted: does the failure happen on n8n 1.116.2 -> 2.41.0: yes -> only on probe 1; not on probe 2',
      'row removed: endpoints.key-scopes [F] a key | a scope',
    ]);
  });
});

describe('readLedger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authlab-ledger-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  test('reads back what toLedgerJson wrote', async () => {
    expect(await readLedger(file('ledger.json', toLedgerJson(ledger)))).toEqual(JSON.parse(toLedgerJson(ledger)));
  });

  test.each([
    ['a missing file', () => join(dir, 'absent.json'), /absent\.json: no such file/],
    ['a file that is not JSON', () => file('ledger.md', '# n8n-authlab ledger'), /ledger\.md: not a ledger: not JSON/],
    [
      'a report.json',
      () => file('report.json', JSON.stringify({ schema: 1, tool: {}, run: {} })),
      /report\.json: not an n8n-authlab ledger \(schema 1, expected "n8n-authlab\/ledger"/,
    ],
    [
      'a newer schema version',
      () => file('next.json', JSON.stringify({ ...JSON.parse(toLedgerJson(ledger)), schemaVersion: 3 })),
      /next\.json: ledger schemaVersion 3 is not one this authlab reads/,
    ],
    ['JSON null', () => file('null.json', 'null'), /null\.json: not an n8n-authlab ledger/],
  ])('%s throws a LedgerReadError naming the file', async (_, path, message) => {
    const p = path();
    const err = await readLedger(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LedgerReadError);
    expect((err as LedgerReadError).file).toBe(p);
    expect((err as Error).message).toMatch(message);
  });
});

describe('merging ledgers', () => {
  test('one column per version in the order given, agreement and counts computed again', () => {
    const [v1, v2] = [V1, V2].map((v) => buildLedger(catalogueRun([v], sampleResults()), '9.9.9', ledgerCatalogue));
    const merged = mergeLedgers([v1!, v2!]);
    expect(merged.versions).toEqual([V1, V2]);
    const whole = buildLedger(catalogueRun([V1, V2], sampleResults()), '9.9.9', ledgerCatalogue);
    expect(merged.rows.map((r) => [r.id, r.agreement, r.status, r.cells.map((c) => c.verdict)])).toEqual(
      whole.rows.map((r) => [r.id, r.agreement, r.status, r.cells.map((c) => c.verdict)]),
    );
    expect(merged.counts).toEqual(whole.counts);
  });

  test('a rerun of one claim replaces just its cell', () => {
    const rerun = buildLedger(
      catalogueRun([V2], [scenarioResult('headers.nbsp', 'headers', V2, { symptom: [[200, 'accepted']], section: '4' })]),
      '9.9.9',
      ledgerCatalogue,
    );
    const merged = mergeLedgers([ledger, rerun]);
    expect(merged.versions).toEqual([V1, V2]);
    expect(row(merged, 'headers.nbsp').cells.map((c) => c.verdict)).toEqual(['does-not-happen', 'does-not-happen']);
    expect(row(merged, 'headers.missing-header').cells.map((c) => c.verdict)).toEqual(['as-the-guide-says', 'as-the-guide-says']);
  });

  test('a schema-1 ledger is refused', () => {
    expect(() => mergeLedgers([{ ...ledger, schemaVersion: 1 }])).toThrow(/schema version 1 cannot be merged/);
  });
});
