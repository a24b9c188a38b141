import { describe, expect, test } from 'vitest';
import type { Exchange } from '../../src/parts/client/exchange.ts';
import { whileNotReady } from '../../src/parts/diagnosis/not-ready.ts';

const answer = (status: number): Exchange => ({
  label: 'the key',
  via: 'raw-socket',
  request: { method: 'GET', url: 'http://n8n/api/v1/workflows', headers: [] },
  response: { status, body: '' },
  outcome: status === 503 ? 'other' : 'rejected',
});

describe('the doctor waits for an n8n that is not ready', () => {
  test('asks again while n8n answers 503, and returns the first other answer', async () => {
    const sent: number[] = [];
    const statuses = [503, 503, 401];
    const last = await whileNotReady(async () => answer(sent.push(1) && statuses[sent.length - 1]!), { tries: 5, pauseMs: 1 });
    expect(last.response?.status).toBe(401);
    expect(sent).toHaveLength(3);
  });
  test('gives up after its tries, returning the 503; an answer other than 503 is not asked again', async () => {
    let sent = 0;
    expect((await whileNotReady(async () => (sent++, answer(503)), { tries: 3, pauseMs: 1 })).response?.status).toBe(503);
    expect(sent).toBe(3);
    sent = 0;
    await whileNotReady(async () => (sent++, answer(401)), { tries: 3, pauseMs: 1 });
    expect(sent).toBe(1);
  });
});
