import { describe, expect, test } from 'vitest';
import { defineScenario, required } from '../../src/core/define.ts';
import type { ScenarioContext } from '../../src/core/types.ts';

const info = { title: 't', guide: { section: 'D', claim: 'c', fix: 'f' }, predicts: { outcome: 'rejected' }, stack: { name: 'default' } } as const;
/** The phases below never touch the stack. */
const ctx = {} as ScenarioContext;

describe("a scenario's state", () => {
  test('what the fault returns reaches the symptom, alongside, each remedy and the doctor input', async () => {
    const seen: string[] = [];
    const scenario = defineScenario<{ key: string; fresh?: string }>({
      ...info,
      id: 'unit.state',
      fault: async () => ({ proof: [{ what: 'applied', ok: true, evidence: '' }], state: { key: 'k1' } }),
      symptom: async (_ctx, { key }) => (seen.push(`symptom ${key}`), []),
      alongside: async (_ctx, { key }) => (seen.push(`alongside ${key}`), []),
      remedies: [
        {
          name: 'regenerate',
          source: 'guide',
          apply: async (_ctx, state) => void (state.fresh = 'k2'),
          probe: async (_ctx, state) => (seen.push(`probe ${required(state.fresh, 'the fresh key')}`), []),
          verify: (_exchanges, { key }) => [{ what: `verify ${key}`, ok: true, evidence: '' }],
        },
      ],
      doctor: { names: 'healthy', input: (_ctx, phase, state) => ({ key: phase === 'fixed' ? state.fresh : state.key }) },
    });
    const broken = await scenario.applyFault(ctx);
    expect(broken.proof.map((c) => c.what)).toEqual(['applied']);
    await broken.symptom();
    await broken.alongside();
    expect(broken.doctorInput('broken')).toEqual({ key: 'k1' });
    const [remedy] = broken.remedies;
    await remedy!.apply();
    await remedy!.probe();
    expect(remedy!.verify([]).map((c) => c.what)).toEqual(['verify k1']);
    expect(broken.doctorInput('fixed')).toEqual({ key: 'k2' });
    expect(seen).toEqual(['symptom k1', 'alongside k1', 'probe k2']);
  });

  test('a scenario without state needs no fault; the catalogue sees only its info and remedy names', async () => {
    const scenario = defineScenario({
      ...info,
      id: 'unit.stateless',
      symptom: async () => [],
      remedies: [{ name: 'r', source: 'correct', probe: async () => [] }],
    });
    expect(scenario.family).toBe('unit');
    expect(scenario.hasFault).toBe(false);
    expect(scenario.remedies).toEqual([{ name: 'r', source: 'correct' }]);
    expect((await scenario.applyFault(ctx)).proof).toEqual([]);
  });

  test('a missing value throws, naming it, instead of going on as an empty string', () => {
    expect(() => required(undefined, 'the kept key')).toThrow('the kept key is missing');
    expect(() => required('', 'the kept key')).toThrow('the kept key is missing');
    expect(required('k', 'the kept key')).toBe('k');
  });

  test('the types hold the state to the scenario that made it', () => {
    // @ts-expect-error a scenario with a state must have a fault that makes it
    defineScenario<{ key: string }>({ ...info, id: 'unit.no-fault', symptom: async (_ctx, { key }) => (key, []), remedies: [] });
    defineScenario<{ key: string }>({
      ...info,
      id: 'unit.wrong-field',
      fault: async () => ({ proof: [], state: { key: 'k' } }),
      // @ts-expect-error the state has no such field
      symptom: async (_ctx, state) => (state.other, []),
      remedies: [],
    });
    expect(() => defineScenario({ ...info, id: 'no-family', symptom: async () => [], remedies: [] })).toThrow(/does not start with its family/);
  });
});
