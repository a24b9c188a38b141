import { describe, expect, test } from 'vitest';
import type { Exchange } from '../../src/client/exchange.ts';
import type { Observation } from '../../src/scenarios/types.ts';
import { computeVerdict, judgeByOutcome } from '../../src/scenarios/verdict.ts';

const exchange = (status: number, body = ''): Exchange => ({
  label: 'probe',
  via: 'raw-socket',
  request: { method: 'GET', url: 'http://n8n/api/v1/workflows', headers: [] },
  response: { status, body },
  outcome: status === 200 ? 'accepted' : status === 401 ? 'rejected' : 'other',
});
const obs = (symptom: Exchange[], guideFix: Exchange[]): Observation => ({
  faultProof: [{ what: 'fault', ok: true, evidence: 'seen' }],
  symptom,
  alongside: [],
  remedies: [{ name: 'fix', source: 'guide', checks: [], exchanges: guideFix, expect: 'accepted', resolved: guideFix.every((e) => e.outcome === 'accepted') }],
});

describe('verdicts come from what was observed', () => {
  test('the predicted 401 and a working fix confirm the claim', () => {
    const o = obs([exchange(401)], [exchange(200)]);
    expect(computeVerdict('1.0.0', o, judgeByOutcome(o, { outcome: 'rejected' })).kind).toBe('confirmed');
  });

  test('a 200 where the guide predicts 401 refutes it, naming what n8n answered', () => {
    const o = obs([exchange(200, '{"data":[]}')], [exchange(200)]);
    const v = computeVerdict('1.0.0', o, judgeByOutcome(o, { outcome: 'rejected' }));
    expect(v.kind).toBe('refuted');
    expect(v.summary).toMatch(/refuted on n8n 1\.0\.0: .*predicts rejected, the probe got 200/);
  });

  test("a guide's fix that does not fix refutes the claim", () => {
    const o = obs([exchange(401)], [exchange(401)]);
    expect(computeVerdict('1.0.0', o, judgeByOutcome(o, { outcome: 'rejected' })).reasons.join()).toMatch(/did not resolve/);
  });

  test('a quoted message that n8n does not say refutes the claim', () => {
    const o = obs([exchange(401, '{"message":"unauthorized"}')], [exchange(200)]);
    expect(computeVerdict('1.0.0', o, judgeByOutcome(o, { outcome: 'rejected', says: 'API key not recognized' })).kind).toBe('refuted');
  });

  test('a fault that was not shown to apply gives no verdict either way', () => {
    const o = { ...obs([exchange(401)], [exchange(200)]), faultProof: [{ what: 'env set', ok: false, evidence: 'unset' }] };
    expect(computeVerdict('1.0.0', o, judgeByOutcome(o, { outcome: 'rejected' })).kind).toBe('inconclusive');
  });
});
