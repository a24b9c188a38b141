import { describe, expect, test } from 'vitest';
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
