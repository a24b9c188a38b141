import { afterAll, describe, expect, inject, test } from 'vitest';
import { writeRunReports } from '../../src/engine/report/run-reports.ts';
import { FAMILIES, type FamilyId, ledgerCatalogue, scenarios as catalogue } from '../../src/families/registry.ts';
import { judge } from '../../src/engine/runner.ts';
import type { ScenarioResult } from '../../src/core/types.ts';
import { doctorDisagreement } from '../../src/core/scenario-doctor.ts';
import { evidenceLines } from '../../src/core/verdict.ts';
import { mask } from '../../src/base/secrets.ts';
import { describeExchange, judgedOf } from '../../src/parts/client/exchange.ts';
import { failed } from '../../src/core/judgement.ts';
import { metricsError, refusalsThatRose } from '../../src/parts/metrics/observation.ts';
import { afterGuideSuite, scenarioResult } from './catalogue-engine.ts';
import { guideSections, sectionLabel } from './guide-names.ts';
import { expectNoSecretIn } from './no-leaks.ts';
import { workerSingleton } from './worker-singleton.ts';
import { guideVersions } from './versions.ts';

// Shared by every suite file (the config runs them in one worker without isolation).
const { results, startedAt } = workerSingleton('guide-results', () => ({ results: [] as ScenarioResult[], startedAt: new Date().toISOString() }));
/** How long a test may wait for its scenario's result: its turn in the engine's queue comes on top of its own run. */
const RESULT_WAIT_MS = 60 * 60_000;

/** What every scenario must show, whatever n8n's answer: the evidence for a verdict, and a fix that works. */
function expectSoundResult(result: ScenarioResult): void {
  const evidence = mask([result.verdict.summary, ...evidenceLines(result.observation)].join('\n  '));
  expect(result.error, evidence).toBeUndefined();
  for (const proof of result.observation.faultProof) expect(proof.ok, `fault not applied: ${proof.what}: ${proof.evidence}`).toBe(true);
  expect(result.observation.symptom.length, 'no symptom was observed').toBeGreaterThan(0);
  expect(result.correctFixResolves, `the verified fix did not resolve it\n  ${evidence}`).toBe(true);
  expect(result.verdict.answers, 'the verdict answers the four questions').toBeDefined();
  // A headline never says a failure does not happen when a judged request of the symptom failed.
  if (result.verdict.kind === 'does-not-happen') expect(judgedOf(result.observation.symptom).filter(failed).map(describeExchange)).toEqual([]);
  // Run from outside on the broken stack, the doctor names the scenario's failure mode first (nothing where this version does not fail); after the fix, nothing.
  expect(doctorDisagreement(result.observation, result.verdict.kind !== 'does-not-happen')).toBeUndefined();
  // On a stack that scrapes n8n's metrics, the evidence holds the Prometheus query's result: never silently missing.
  if (catalogue.find((s) => s.id === result.id)!.stack.metrics) {
    expect(result.observation.metrics, "no n8n's metrics in the evidence").toBeDefined();
    expect(metricsError(result.observation.metrics), "n8n's metrics could not be read").toBeUndefined();
    // The shipped alert rule, evaluated against the real scrape, fires for every 401 or 403 of the symptom that n8n counted.
    const read = result.observation.metrics;
    if (read && !('error' in read)) for (const status of refusalsThatRose(read)) expect(read.alert.firesFor).toContain(status);
  }
  // The verdict is a function of the recorded observation: recomputing it gives the same answer.
  expect(judge(catalogue.find((s) => s.id === result.id)!, result.version, result.observation)).toEqual(result.verdict);
}

/**
 * One describe per guide section, one test per claim, named in the guide's words; every
 * default version runs them all. The headline is printed and reported;
 * `expectAlso` is what a family's results must show besides.
 */
export function guideSuite(family: FamilyId, expectAlso?: (result: ScenarioResult) => void): void {
  describe(FAMILIES[family].title, () => {
    for (const version of guideVersions()) {
      describe(`n8n ${version}`, () => {
        for (const [section, scenarios] of guideSections(family)) {
          describe(sectionLabel(section), () => {
            for (const scenario of scenarios) {
              // The engine runs the scenarios side by side; a test may wait its turn behind other stacks.
              test(scenario.title, { timeout: RESULT_WAIT_MS }, async (ctx) => {
                const result = await scenarioResult(scenario, version);
                results.push(result);
                console.log(mask(`${scenario.id} @ n8n ${version}: ${result.verdict.summary}`));
                // Reported as a skip with its reason in every report: visible, never silent.
                if (result.verdict.kind === 'not-runnable') ctx.skip(result.verdict.summary);
                expectSoundResult(result);
                expectAlso?.(result);
              });
            }
          });
        }
      });
    }
  });
  afterAll(async () => {
    await afterGuideSuite(family);
    await writeReports();
  });
}

/** The run's ledger so far, rewritten after each suite file: the last one holds every result. */
async function writeReports(): Promise<void> {
  const versions = [...new Set(results.map((r) => r.version))];
  const run = { versions, images: inject('n8nImages'), results, boots: 0, startedAt, finishedAt: new Date().toISOString() };
  const { n8nBootCount } = await import('../../src/parts/stack/n8n-container.ts');
  run.boots = n8nBootCount();
  // junit-scenarios.xml: beside vitest's own vitest-junit.xml, the name says which cases it holds.
  await writeRunReports(run, 'authlab-reports', {
    catalogue: ledgerCatalogue,
    toolVersion: 'test',
    rename: (name) => (name === 'junit.xml' ? 'junit-scenarios.xml' : name),
  });
  await expectNoSecretIn('authlab-reports');
}
