import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { FAMILY_IDS, type FamilyId, scenarios } from '../../src/families/registry.ts';
import { committedCosts, costedGroups, splitByCost } from '../../src/scenarios/shard.ts';
import { testVersions } from './versions.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** What the run's guide suites will ask the catalogue engine for: their families in file order, and `-t`. */
    guideRun: { families: string[]; testNamePattern?: { source: string; flags: string } };
  }
}

/** The family a guide suite file runs (`guideSuite('headers')`), or undefined for any other file. */
function guideFamilyOf(spec: TestSpecification): string | undefined {
  return /\bguideSuite\(\s*'([\w-]+)'/.exec(readFileSync(spec.moduleId, 'utf8'))?.[1];
}

/**
 * Vitest's order, with the guide suites last in catalogue order: the files that start stacks of
 * their own run while the catalogue engine (support/catalogue-engine.ts) already runs the guide
 * suites' stacks side by side, and the guide suites then mostly collect results. The engine is
 * told the guide suites' order and works through their scenarios in it; the catalogue's order
 * ends on the secrets family's many short stacks, which keeps the two sides busy to the end.
 */
export class GuideSuitesLast extends BaseSequencer {
  /**
   * `--shard i/n`: the files spread over n shards by their measured seconds, longest first onto the
   * least loaded (vitest's own split counts files, whatever they cost). The guide suites' work is the
   * engine's, side by side with the other files: the two are spread each on their own, and the
   * shard with the most engine work gets the least of the rest. The same files give the same shards
   * on any machine; sort() then gets this shard's files, so the engine plans only the families of
   * this shard's guide suites.
   */
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { index, count } = this.ctx.config.shard!;
    const costOf = fileCosts();
    const items = files.map((spec) => {
      const key = relative(spec.project.config.root, spec.moduleId).replaceAll('\\', '/');
      const family = guideFamilyOf(spec);
      return { key, cost: costOf(key, family), spec, guide: family !== undefined };
    });
    const guides = splitByCost(
      items.filter((i) => i.guide),
      count,
    );
    const others = splitByCost(
      items.filter((i) => !i.guide),
      count,
    );
    const load = (bin: Array<{ cost: number }>) => bin.reduce((n, i) => n + i.cost, 0);
    // Both lists in the order of their load, heaviest first; the i-th guide bin goes with the i-th lightest of the rest.
    const byLoad = (bins: (typeof items)[]) =>
      bins
        .map((bin, i) => ({ bin, i }))
        .sort((a, b) => load(b.bin) - load(a.bin) || a.i - b.i)
        .map((b) => b.bin);
    const [heavyGuides, heavyOthers] = [byLoad(guides), byLoad(others)];
    return [...heavyGuides[index - 1]!, ...heavyOthers[count - index]!].map((item) => item.spec);
  }

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const families = new Map(sorted.map((spec) => [spec, guideFamilyOf(spec)]));
    const rank = (spec: TestSpecification) => FAMILY_IDS.indexOf(families.get(spec) as FamilyId);
    const guides = sorted.filter((spec) => families.get(spec)).sort((a, b) => rank(a) - rank(b));
    const pattern = this.ctx.config.testNamePattern;
    for (const project of new Set(sorted.map((spec) => spec.project))) {
      project.provide('guideRun', {
        families: guides.filter((spec) => spec.project === project).map((spec) => families.get(spec)!),
        ...(pattern ? { testNamePattern: { source: pattern.source, flags: pattern.flags } } : {}),
      });
    }
    return [...sorted.filter((spec) => !families.get(spec)), ...guides];
  }
}

/**
 * A test file's seconds: a guide suite's, its family's scenarios on the test versions as the plan
 * groups them (fixtures/plan/costs.json); any other file's, as bench/tests.json measured it; a file
 * neither knows, the mean of the measured files.
 */
function fileCosts(): (file: string, family: string | undefined) => number {
  const bench = JSON.parse(readFileSync(new URL('../../bench/tests.json', import.meta.url), 'utf8')) as { parts?: { otherFiles?: Record<string, number> } };
  const measured = bench.parts?.otherFiles ?? {};
  const seconds = Object.values(measured);
  const unmeasured = seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : 1;
  const costs = committedCosts();
  return (file, family) => {
    if (!family) return measured[file] ?? unmeasured;
    const wanted = testVersions().flatMap((version) => scenarios.filter((s) => s.family === family).map((scenario) => ({ version, scenario })));
    return costedGroups(wanted, costs).reduce((n, g) => n + g.cost, 0);
  };
}
