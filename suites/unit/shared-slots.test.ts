import { describe, expect, test } from 'vitest';
import { runGroups } from '../../src/scenarios/plan.ts';
import type { StackPool } from '../../src/scenarios/stack-pool.ts';
import type { AnyScenario, ScenarioResult } from '../../src/scenarios/types.ts';
import type { StartedAuthStack } from '../../src/stack/auth-stack.ts';
import { limiter } from '../support/slots.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the worker’s slots', () => {
  test('no more than n tasks at once, started in the order they asked', async () => {
    const slot = limiter(2);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        slot(async () => {
          started.push(i);
          most = Math.max(most, ++running);
          await tick();
          running--;
        }),
      ),
    );
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  test('a task that asks again as it frees its slot waits behind one already waiting', async () => {
    const slot = limiter(1);
    const order: string[] = [];
    const again = slot(async () => void order.push('first')).then(() => slot(async () => void order.push('again')));
    const waiting = slot(async () => void order.push('waiting'));
    await Promise.all([again, waiting]);
    expect(order).toEqual(['first', 'waiting', 'again']);
  });

  test('a failed task frees its slot', async () => {
    const slot = limiter(1);
    await expect(slot(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slot(async () => 'next')).resolves.toBe('next');
  });
});

describe('runGroups in slots shared with other work', () => {
  const scenario = (id: string, stack: string): AnyScenario =>
    ({
      id,
      family: 'headers',
      title: id,
      guide: { section: 'A', claim: '', fix: '' },
      predicts: { outcome: 'rejected' },
      stack: { name: stack },
      applyFault: async () => {
        await tick();
        throw new Error('no n8n in a unit test');
      },
    }) as unknown as AnyScenario;

  test('each group holds a slot from its stack’s start to its stop and frees it before the next, so other work runs between', async () => {
    const calls: string[] = [];
    const stack = { version: '2.41.0', spec: { name: 's' } } as unknown as StartedAuthStack;
    const pool = {
      acquire: async (_v: string, s: AnyScenario) => (calls.push(`acquire ${s.id}`), stack),
      handBack: async () => undefined,
      release: async (_v: string, s: AnyScenario) => void calls.push(`release ${s.stack.name}`),
    } as unknown as StackPool;
    const slot = limiter(1);
    const results: ScenarioResult[] = [];
    const queue = [
      { version: '2.41.0', group: [scenario('a', 'one'), scenario('b', 'one')] },
      { version: '2.41.0', group: [scenario('c', 'two')] },
    ];
    const groups = runGroups(pool, queue, { concurrency: 1, slot, progress: () => undefined, onResult: (r) => results.push(r) });
    // A heavy file's test asks while the first group holds the one slot.
    await tick();
    const other = slot(async () => void calls.push('other work'));
    await Promise.all([groups, other]);
    expect(calls).toEqual(['acquire a', 'acquire b', 'release one', 'other work', 'acquire c', 'release two']);
    expect(results.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
