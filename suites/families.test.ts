import { expect, inject } from 'vitest';
import { type FamilyId, FAMILY_IDS } from '../src/families/registry.ts';
import type { ScenarioResult } from '../src/core/types.ts';
import { guideSuite } from './support/guide-suite.ts';

/**
 * The guide suites: one describe per family of the registry (src/families/registry.ts), in its
 * order, so a new family's suite needs no file of its own. The run's families are the sequencer's
 * (support/sequencer.ts): every family, or this shard's share of them with --shard; `-t` narrows
 * them (one family: -t '^<its title> > ').
 */

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

/** What a family's results must show besides what every scenario shows. */
const EXPECT_ALSO: Partial<Record<FamilyId, (result: ScenarioResult) => void>> = { proxy: showsStraightAndThrough };

const families = (inject('guideRun')?.families ?? FAMILY_IDS).filter((f): f is FamilyId => (FAMILY_IDS as string[]).includes(f));
for (const family of families) guideSuite(family, EXPECT_ALSO[family]);
