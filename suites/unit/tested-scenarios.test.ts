import { describe, expect, test } from 'vitest';
import { FAMILY_IDS, scenarios } from '../../src/families/registry.ts';
import { LEFT_TO_THE_MAIN_JOB, testedScenarios } from '../support/tested-scenarios.ts';

describe('the scenarios a default test run leaves to the main job', () => {
  test('each is a scenario of the catalogue, with its reason', () => {
    const ids = new Set(scenarios.map((s) => s.id));
    for (const [id, why] of Object.entries(LEFT_TO_THE_MAIN_JOB)) {
      expect(ids.has(id), id).toBe(true);
      expect(why.length, id).toBeGreaterThan(20);
    }
  });

  test('every family keeps scenarios in the test run, and every guide section it cites keeps one', () => {
    for (const family of FAMILY_IDS) {
      const tested = testedScenarios(family);
      expect(tested.length, family).toBeGreaterThan(0);
      const all = scenarios.filter((s) => s.family === family);
      for (const section of new Set(all.map((s) => s.guide.section)))
        expect(
          tested.some((s) => s.guide.section === section),
          `${family} ${section}`,
        ).toBe(true);
    }
  });

  test('AUTHLAB_TEST_CATALOGUE=all tests them all; another value is refused in one line', () => {
    const before = process.env.AUTHLAB_TEST_CATALOGUE;
    try {
      process.env.AUTHLAB_TEST_CATALOGUE = 'all';
      expect(FAMILY_IDS.flatMap((f) => testedScenarios(f)).length).toBe(scenarios.length);
      process.env.AUTHLAB_TEST_CATALOGUE = 'some';
      expect(() => testedScenarios('secrets')).toThrow(/^AUTHLAB_TEST_CATALOGUE takes "all" .* not "some"$/);
    } finally {
      if (before === undefined) delete process.env.AUTHLAB_TEST_CATALOGUE;
      else process.env.AUTHLAB_TEST_CATALOGUE = before;
    }
  });
});
