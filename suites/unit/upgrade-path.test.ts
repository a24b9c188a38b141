import { describe, expect, test } from 'vitest';
import { describeDiff, diffLedgers } from '../../src/engine/report/ledger-diff.ts';
import { stepLedgerFiles, toUpgradeJson, toUpgradeJUnit, toUpgradeMarkdown, toUpgradePathMarkdown } from '../../src/features/upgrade/upgrade-report.ts';
import type { UpgradeResult, VersionProbe } from '../../src/features/upgrade/upgrade-check.ts';
import { type StepLedgerMeta, upgradeStep } from '../../src/features/upgrade/upgrade-ledger.ts';
import type { ProbeCheck, UpgradeRow } from '../../src/features/upgrade/upgrade-probe.ts';

const PATH = ['1.116.2', '1.123.81', '2.8.4', '2.41.0'];
const meta = (image: string): StepLedgerMeta => ({ first: PATH[0]!, database: 'sqlite', image, tool: 'test', startedAt: '', finishedAt: '' });
const MIGRATION_LOG = [
  'Migrations in progress, please do NOT stop the process.',
  'Error: There was an error running database migrations',
  'SQLITE_ERROR: no such column',
];

/** A probe whose checks all pass, with these behaviours where given. */
function probe(version: string, behaviours: Partial<Record<UpgradeRow, string>> = {}, failing: UpgradeRow[] = []): VersionProbe {
  const rows: UpgradeRow[] = ['start', 'api-key', 'webhook', 'workflow', 'credential'];
  const checks: ProbeCheck[] = rows.map((row) => ({
    row,
    what: `n8n ${version}: ${row}`,
    ok: !failing.includes(row),
    evidence: failing.includes(row) ? '401' : '200',
    behaviour: behaviours[row] ?? `${row} as before`,
  }));
  return { version, exchanges: [], checks };
}

const failedStart: VersionProbe = {
  version: '2.8.4',
  startError: 'n8n 2.8.4 (authlab/n8n:2.8.4) did not start: it exited with code 1; it said: Error: There was an error running database migrations',
  startLog: MIGRATION_LOG,
  exchanges: [],
  checks: [{ row: 'start', what: 'n8n 2.8.4 starts over the data', ok: false, evidence: MIGRATION_LOG[1]!, behaviour: `did not start: ${MIGRATION_LOG[1]}` }],
};

/** 1.116.2 made the data, 1.123.81 answered the key with one more field, 2.8.4 did not start. */
function failedPath(): UpgradeResult {
  const first = upgradeStep(probe('1.116.2', { 'api-key': '200 accepted; fields id, name' }), meta('authlab/n8n:1.116.2'));
  const second = upgradeStep(probe('1.123.81', { 'api-key': '200 accepted; fields id, isArchived, name' }), meta('authlab/n8n:1.123.81'), first);
  const third = upgradeStep(failedStart, meta('authlab/n8n:2.8.4'), second);
  const downgrade = upgradeStep(probe('1.123.81', {}, ['webhook']), meta('authlab/n8n:1.123.81'), third);
  return {
    database: 'sqlite',
    path: PATH,
    from: PATH[0]!,
    to: PATH.at(-1)!,
    steps: [first, second, third],
    notReached: ['2.41.0'],
    downgrade,
    passed: false,
    startedAt: '2026-11-30T03:00:00.000Z',
    finishedAt: '2026-11-30T03:05:00.000Z',
  };
}

describe('an upgrade path, each step as a ledger', () => {
  const r = failedPath();

  test("a step's changes are the ledger diff of its ledger and the step before's, as authlab diff says them", () => {
    const [first, second, third] = r.steps;
    expect(second!.changes).toEqual([
      'upgrade.api-key: behaviour changed on n8n 1.116.2 -> 1.123.81, still works as the guide says: 200 accepted; fields id, name -> 200 accepted; fields id, isArchived, name',
    ]);
    // authlab diff on the two files prints the same lines after its line naming the versions it compared.
    expect(describeDiff(diffLedgers(first!.ledger, second!.ledger)).slice(1)).toEqual(second!.changes);
    expect(second!.inShort).toEqual(['upgrade.api-key: + isArchived']);
    expect(third!.changes).toContain('upgrade.start: works as the guide says on n8n 1.123.81 -> fails, unlike the guide on n8n 2.8.4');
    expect(third!.changes).toContain('upgrade.api-key: works as the guide says on n8n 1.123.81 -> no result on n8n 2.8.4');
  });

  test("a step's ledger has a row per check, its verdict from the check, and n8n's log lines on a failed start", () => {
    const ledger = r.steps[2]!.ledger;
    expect(ledger.versions).toEqual(['2.8.4']);
    expect(ledger.rows.map((row) => [row.id, row.cells[0]!.verdict])).toEqual([
      ['upgrade.start', 'fails-unlike-the-guide'],
      ['upgrade.api-key', 'missing'],
      ['upgrade.webhook', 'missing'],
      ['upgrade.workflow', 'missing'],
      ['upgrade.credential', 'missing'],
    ]);
    expect(ledger.rows[0]!.cells[0]!.evidence.log.map((l) => l.line)).toEqual(MIGRATION_LOG);
    expect(stepLedgerFiles(r).map((f) => f.file)).toEqual([
      'step-1-1.116.2.json',
      'step-2-1.123.81.json',
      'step-3-2.8.4.json',
      'step-4-1.123.81-downgrade.json',
    ]);
  });

  test('JUnit: a version n8n did not start on fails with its log lines, a version not reached fails, the downgrade never does', () => {
    const xml = toUpgradeJUnit(r);
    expect(xml).toContain('<testsuites name="n8n-authlab upgrade" tests="5" failures="2">');
    expect(xml).toContain(`<failure message="n8n 2.8.4 starts over the data">n8n 2.8.4 starts over the data: ${MIGRATION_LOG[1]}`);
    expect(xml).toMatch(/name="sqlite: n8n 2.41.0">\s*<failure message="not reached: n8n 2.8.4 did not start over the data"/);
    expect(xml).toMatch(/name="sqlite: downgrade 2.8.4 -&gt; 1.123.81 \(reported\)">\s*<system-out>/);
  });

  test("Markdown: per step its checks and what changed; a failed start shows n8n's log; the combined report a table per database", () => {
    const md = toUpgradeMarkdown(r);
    expect(md).toContain("# Upgrade on SQLite (in n8n's data volume): n8n 1.116.2 -> 1.123.81 -> 2.8.4 -> 2.41.0: FAILED");
    expect(md).toContain('What changed from n8n 1.116.2 (the ledger diff of the two steps):\n\n- `upgrade.api-key: behaviour changed');
    expect(md).toContain(['```', ...MIGRATION_LOG, '```'].join('\n'));
    expect(md).toContain('Not reached (n8n 2.8.4 did not start): n8n 2.41.0');
    const combined = toUpgradePathMarkdown([r]);
    expect(combined).toContain("| step | SQLite (in n8n's data volume) |");
    expect(combined).toContain('| 2: n8n 1.123.81 | ok (5/5); 1 change(s) |');
    expect(combined).toContain('| 3: n8n 2.8.4 | **did not start** |');
    expect(combined).toContain('| 4: n8n 2.41.0 | not reached |');
    expect(combined).toContain('## Upgrade on SQLite');
  });

  test('the JSON report leaves the ledgers out (they are written beside it, one file a step)', () => {
    const json = JSON.parse(toUpgradeJson(r, 'test')) as { result: { steps: Array<Record<string, unknown>> } };
    expect(json.result.steps).toHaveLength(3);
    expect(json.result.steps[0]).not.toHaveProperty('ledger');
    expect(json.result.steps[1]).toHaveProperty('changes');
  });
});
