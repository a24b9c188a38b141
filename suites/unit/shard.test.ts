import { ledgerCatalogue } from '../../src/families/registry.ts';
import { describe, expect, test } from 'vitest';
import { scenarios } from '../../src/families/registry.ts';
import { planQueue } from '../../src/engine/plan.ts';
import { committedCosts, costedGroups, parseShard, shardRuns, splitByCost } from '../../src/engine/shard.ts';
import { StackPool } from '../../src/engine/stack-pool.ts';
import { UserError } from '../../src/base/user-error.ts';
import { authlab } from '../support/cli.ts';
import { buildLedger } from '../../src/engine/report/ledger.ts';
import { shardProblems } from '../../src/engine/report/ledger-shards.ts';
import { mergeLedgers } from '../../src/engine/report/ledger-merge.ts';
import { catalogueRun, sampleResults, V1, V2 } from '../support/ledger-fixtures.ts';

const costs = committedCosts();
const wanted = ['1.116.2', '2.41.0'].flatMap((version) => scenarios.map((scenario) => ({ version, scenario })));
const keysOf = (runs: typeof wanted) => [...new Set(runs.map(({ version, scenario }) => StackPool.keyOf(version, scenario)))];
const loads = (count: number) => Array.from({ length: count }, (_, i) => shardRuns(wanted, { index: i + 1, count }, costs).seconds);

describe('--shard i/n', () => {
  test('reads i/n with 1 <= i <= n', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 });
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
    for (const bad of ['0/2', '3/2', 'x', '1/0', '1/', '/2', '-1/2', '1.5/2', ''])
      expect(() => parseShard(bad), bad).toThrow(new UserError(`--shard takes i/n, the i-th of n shards with 1 <= i <= n (got ${JSON.stringify(bad)})`));
  });

  test.each([['0/2'], ['3/2'], ['x']])('authlab run --shard %s: one line, exit 2, before anything runs', async (bad) => {
    const r = await authlab(['run', '--shard', bad, '--family', 'headers']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`--shard takes i/n`);
  });

  test.each([1, 2, 3, 5])('%i shards: every stack group in exactly one, their union the whole plan in its order', (count) => {
    const shards = Array.from({ length: count }, (_, i) => shardRuns(wanted, { index: i + 1, count }, costs));
    const groups = shards.flatMap((s) => s.of.groups);
    expect(new Set(groups).size).toBe(groups.length);
    expect([...groups].sort()).toEqual(keysOf(wanted).sort());
    for (const s of shards) expect(s.of.ofGroups).toBe(planQueue(wanted).length);
    const runs = shards.flatMap((s) => s.runs);
    expect(runs).toHaveLength(wanted.length);
    // Each shard keeps the plan's order: its runs are the plan's, less the other shards'.
    for (const s of shards) expect(s.runs).toEqual(wanted.filter((w) => s.runs.includes(w)));
  });

  test('deterministic: the same plan, in any order, gives the same shards', () => {
    const again = shardRuns([...wanted].reverse(), { index: 2, count: 3 }, costs);
    const first = shardRuns(wanted, { index: 2, count: 3 }, costs);
    expect([...again.of.groups].sort()).toEqual([...first.of.groups].sort());
    expect(again.seconds).toBe(first.seconds);
    expect(shardRuns(wanted, { index: 2, count: 3 }, costs)).toEqual(first);
  });

  test('balanced: no shard exceeds another by more than the costliest stack group', () => {
    const biggest = Math.max(...costedGroups(wanted, costs).map((g) => g.cost));
    for (const count of [2, 3, 4]) {
      const l = loads(count);
      expect(Math.max(...l) - Math.min(...l), `${count} shards: ${l.map(Math.round).join(', ')} s`).toBeLessThanOrEqual(biggest);
    }
  });

  test('longest first onto the least loaded, ties in key order', () => {
    const items = [
      { key: 'b', cost: 5 },
      { key: 'a', cost: 5 },
      { key: 'c', cost: 8 },
      { key: 'd', cost: 1 },
    ];
    expect(splitByCost(items, 2).map((bin) => bin.map((i) => i.key))).toEqual([
      ['c', 'd'],
      ['a', 'b'],
    ]);
    expect(splitByCost(items, 5).map((bin) => bin.length)).toEqual([1, 1, 1, 1, 0]);
  });

  test('a stack or scenario the costs do not know costs the default', () => {
    const unknown = { ...scenarios[0]!, id: 'mine.own' };
    const [group] = costedGroups([{ version: '9.9.9', scenario: unknown }], { boots: {}, scenarios: {}, defaults: { boot: 7, scenario: 2 } });
    expect(group!.cost).toBe(9);
  });
});

describe("merging shards' ledgers", () => {
  const results = sampleResults();
  const shardLedger = (index: number, count: number, ids: string[], ran = [V1, V2]) => ({
    file: `s${index}/ledger.json`,
    ledger: buildLedger(
      {
        ...catalogueRun(
          ran,
          results.filter((r) => ids.includes(r.id)),
        ),
        shard: { index, count, groups: [], ofGroups: 2, versions: [V1, V2] },
      },
      'test',
      ledgerCatalogue,
    ),
  });
  const [a, b] = [['headers.nbsp'], ['secrets.env-file-not-mounted']];

  test('the shards of a split merge into one ledger without a shard', () => {
    const shards = [shardLedger(1, 2, a), shardLedger(2, 2, b)];
    expect(shardProblems(shards)).toEqual({ refuse: [], warn: [] });
    const merged = mergeLedgers(shards.map((s) => s.ledger));
    expect(merged.shard).toBeUndefined();
    expect(merged.rows.map((r) => r.id).sort()).toEqual([...a, ...b].sort());
  });

  test('shards that each ran other versions of the same run are one split', () => {
    const shards = [shardLedger(1, 2, [...a, ...b], [V1]), shardLedger(2, 2, [...a, ...b], [V2])];
    expect(shardProblems(shards)).toEqual({ refuse: [], warn: [] });
    expect(mergeLedgers(shards.map((s) => s.ledger)).versions).toEqual([V1, V2]);
  });

  test('the same shard twice, or two shards with the same claim, are refused; a missing shard is warned of', () => {
    expect(shardProblems([shardLedger(1, 2, a), { ...shardLedger(1, 2, b), file: 'again/ledger.json' }]).refuse).toEqual([
      `s1/ledger.json and again/ledger.json are both shard 1/2 of n8n ${V1}, ${V2}, 2 shard(s)`,
    ]);
    expect(shardProblems([shardLedger(1, 2, a), shardLedger(2, 2, a)]).refuse[0]).toBe(
      `s1/ledger.json and s2/ledger.json both ran headers.nbsp@${V1}: shards of one split never overlap`,
    );
    expect(shardProblems([shardLedger(2, 2, b)])).toEqual({
      refuse: [],
      warn: [`shard 1/2 of n8n ${V1}, ${V2}, 2 shard(s) is missing: its claims have no result`],
    });
  });
});
