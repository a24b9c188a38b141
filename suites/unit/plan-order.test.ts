import { describe, expect, test } from 'vitest';
import { scenarios } from '../../src/families/registry.ts';
import { costliestFirst, LEAVES_N8N_CHANGED, restoreLastOrder } from '../../src/engine/plan-order.ts';
import { planQueue, runGroups } from '../../src/engine/plan.ts';
import { StackPool } from '../../src/engine/stack-pool.ts';
import type { AnyScenario, ScenarioResult } from '../../src/core/types.ts';
import type { StartedAuthStack } from '../../src/parts/stack/auth-stack.ts';
import { limiter } from '../support/slots.ts';

const ids = (group: Array<{ id: string }>) => group.map((s) => s.id);

describe('the order of a stack group', () => {
  test('those that leave n8n changed run last, each part in the order wanted', () => {
    const group = ['a', 'x', 'b', 'y', 'c'].map((id) => ({ id }));
    expect(ids(restoreLastOrder(group, new Set(['y', 'x'])))).toEqual(['a', 'b', 'c', 'x', 'y']);
    expect(ids(restoreLastOrder(group, new Set()))).toEqual(['a', 'x', 'b', 'y', 'c']);
  });

  test('every scenario the list names is in the catalogue, on a shared stack', () => {
    for (const id of LEAVES_N8N_CHANGED) {
      const scenario = scenarios.find((s) => s.id === id);
      expect(scenario, id).toBeDefined();
      expect(scenario?.changesStack, id).toBeFalsy();
    }
  });

  test('planQueue keeps one group per stack key, with the same scenarios, the listed ones last', () => {
    const wanted = ['2.41.0', '1.116.2'].flatMap((version) => scenarios.map((scenario) => ({ version, scenario })));
    const queue = planQueue(wanted);
    const keys = queue.map(({ version, group }) => StackPool.keyOf(version, group[0]!));
    expect(new Set(keys).size).toBe(keys.length);
    expect(queue.reduce((n, { group }) => n + group.length, 0)).toBe(wanted.length);
    for (const { version, group } of queue) {
      for (const s of group) expect(StackPool.keyOf(version, s)).toBe(StackPool.keyOf(version, group[0]!));
      const flags = group.map((s) => LEAVES_N8N_CHANGED.has(s.id));
      expect(flags, ids(group).join(' ')).toEqual([...flags].sort((a, b) => Number(a) - Number(b)));
    }
    expect(planQueue(wanted)).toEqual(queue);
  });
});

describe('the order of the groups', () => {
  test('costliest first, ties in the order given', () => {
    const groups = [
      { key: 'a', cost: 10 },
      { key: 'b', cost: 200 },
      { key: 'c', cost: 10 },
      { key: 'd', cost: 50 },
    ];
    expect(costliestFirst(groups, (g) => g.cost).map((g) => g.key)).toEqual(['b', 'd', 'a', 'c']);
    expect(costliestFirst([], () => 0)).toEqual([]);
  });
});

describe('runGroups', () => {
  const failing = (id: string, stack: string): AnyScenario =>
    ({
      id,
      family: 'headers',
      title: id,
      guide: { section: 'A', claim: '', fix: '' },
      predicts: { outcome: 'rejected' },
      stack: { name: stack },
      applyFault: async () => {
        throw new Error('no n8n in a unit test');
      },
    }) as unknown as AnyScenario;

  test("hands a stack back after each scenario but its group's last, which only releases it", async () => {
    const calls: string[] = [];
    const stack = { version: '2.41.0', spec: { name: 's' } } as unknown as StartedAuthStack;
    const pool = {
      acquire: async () => stack,
      handBack: async (_v: string, s: AnyScenario) => void calls.push(`handBack ${s.id}`),
      release: async (_v: string, s: AnyScenario) => void calls.push(`release ${s.stack.name}`),
    } as unknown as StackPool;
    const results: ScenarioResult[] = [];
    const queue = [
      { version: '2.41.0', group: [failing('a', 'one'), failing('b', 'one'), failing('c', 'one')] },
      { version: '2.41.0', group: [failing('d', 'two')] },
    ];
    await runGroups(pool, queue, { concurrency: 1, progress: () => undefined, onResult: (r) => results.push(r) });
    expect(calls).toEqual(['handBack a', 'handBack b', 'release one', 'release two']);
    expect(results.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('in slots shared with other work, a group holds one from its stack’s start to its stop and frees it before the next: other work runs between', async () => {
    const calls: string[] = [];
    const stack = { version: '2.41.0', spec: { name: 's' } } as unknown as StartedAuthStack;
    const pool = {
      acquire: async (_v: string, s: AnyScenario) => (calls.push(`acquire ${s.id}`), stack),
      handBack: async () => undefined,
      release: async (_v: string, s: AnyScenario) => void calls.push(`release ${s.stack.name}`),
    } as unknown as StackPool;
    const slot = limiter(1);
    const queue = [
      { version: '2.41.0', group: [failing('a', 'one'), failing('b', 'one')] },
      { version: '2.41.0', group: [failing('c', 'two')] },
    ];
    const groups = runGroups(pool, queue, { concurrency: 1, slot, progress: () => undefined, onResult: () => undefined });
    // A heavy file's test asks while the first group holds the one slot.
    const other = slot(async () => void calls.push('other work'));
    await Promise.all([groups, other]);
    expect(calls).toEqual(['acquire a', 'acquire b', 'release one', 'other work', 'acquire c', 'release two']);
  });
});
