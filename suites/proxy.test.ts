import { expect } from 'vitest';
import type { ScenarioResult } from '../src/core/types.ts';
import { guideSuite } from './support/guide-suite.ts';

/** Decision tree Q2 for every proxy scenario: what n8n answers straight and through the proxy, broken and after each fix. */
function showsStraightAndThrough(result: ScenarioResult): void {
  const { symptom, alongside, remedies } = result.observation;
  const answered = (e: { response?: unknown }) => e.response !== undefined;
  expect(
    symptom.every((e) => !e.context && e.reachedN8n !== undefined),
    'the symptom is judged through the proxy',
  ).toBe(true);
  expect(
    alongside.some((e) => e.context && answered(e)),
    'n8n answered the same request straight while the fault was live',
  ).toBe(true);
  for (const r of remedies) {
    expect(
      r.exchanges.some((e) => !e.context && e.reachedN8n !== undefined),
      `through the proxy after "${r.name}"`,
    ).toBe(true);
    expect(
      r.exchanges.some((e) => e.context && answered(e)),
      `straight to n8n after "${r.name}"`,
    ).toBe(true);
  }
}

guideSuite('proxy', showsStraightAndThrough);
