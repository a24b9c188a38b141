import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { FAMILY_IDS, type FamilyId } from '../../src/families/registry.ts';
import { committedCosts, costedGroups, splitByCost } from '../../src/engine/shard.ts';
import { testedScenarios } from './tested-scenarios.ts';
import { guideVersions } from './versions.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** What the run's guide suites will ask the catalogue engine for: their families in registry order, and `-t`. */
    guideRun: { families: string[]; testNamePattern?: { source: string; flags: string } };
  }
}

/** The file of the guide suites: a describe per registry family the run asks for (suites/families.test.ts). */
export const GUIDE_SUITES_FILE = 'suites/families.test.ts';

const fileOf = (spec: TestSpecification) => relative(spec.project.config.root, spec.moduleId).replaceAll('\\', '/');
const isGuideFile = (spec: TestSpecification) => fileOf(spec) === GUIDE_SUITES_FILE;
/** A file whose tests run side by side in the worker's shared slots (it imports support/slots.ts). */
const takesSlots = (spec: TestSpecification) => /from '\.\/support\/slots\.ts'/.test(readFileSync(spec.moduleId, 'utf8'));

/**
 * Vitest's order, with the guide suites' file last (its describes in registry order): the files that start stacks of
 * their own run while the catalogue engine (support/catalogue-engine.ts) already runs the guide
 * suites' stacks side by side, and the guide suites then mostly collect results. The engine is
 * told the guide suites' order and works through their scenarios in it; the catalogue's order
 * ends on the secrets family's many short stacks, which keeps the two sides busy to the end.
 */
export class GuideSuitesLast extends BaseSequencer {
  /** With --shard: this shard's share of the registry's families, which sort() hands the engine and the guide suites. */
  private shardFamilies?: FamilyId[];

  /**
   * `--shard i/n`: the files spread over n shards by their measured seconds, longest first onto the
   * least loaded (vitest's own split counts files, whatever they cost). The guide suites' work is the
   * engine's, side by side with the other files: the registry's families are spread by their
   * planned seconds, the other files by theirs, and the shard with the most engine work gets the
   * least of the rest. The same files give the same shards on any machine; the guide suites' file
   * goes to each shard with families, and sort() hands the engine only this shard's families.
   */
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { index, count } = this.ctx.config.shard!;
    const costOf = fileCosts();
    const others = splitByCost(
      files.filter((spec) => !isGuideFile(spec)).map((spec) => ({ key: fileOf(spec), cost: costOf(fileOf(spec)), spec })),
      count,
    );
    const guideFile = files.find(isGuideFile);
    this.shardFamilies = guideFile ? familyShares(count)[index - 1]! : [];
    const guideSpecs = guideFile && this.shardFamilies.length ? [guideFile] : [];
    // The i-th share of families goes with the i-th lightest share of the other files.
    return [...guideSpecs, ...byLoad(others)[count - index]!.map((item) => item.spec)];
  }

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const guides = sorted.filter(isGuideFile);
    const pattern = this.ctx.config.testNamePattern;
    for (const project of new Set(sorted.map((spec) => spec.project))) {
      project.provide('guideRun', {
        families: guides.some((spec) => spec.project === project) ? (this.shardFamilies ?? FAMILY_IDS) : [],
        ...(pattern ? { testNamePattern: { source: pattern.source, flags: pattern.flags } } : {}),
      });
    }
    // The files that start their own stacks one at a time go first, beside the engine's groups; the files
    // whose tests take slots (support/slots.ts) after them, to take every slot the engine frees at its end.
    const others = sorted.filter((spec) => !isGuideFile(spec));
    return [...others.filter((spec) => !takesSlots(spec)), ...others.filter(takesSlots), ...guides];
  }
}

const load = (bin: Array<{ cost: number }>) => bin.reduce((n, i) => n + i.cost, 0);
/** Bins in the order of their load, heaviest first (ties: their first order). */
const byLoad = <T extends { cost: number }>(bins: T[][]) =>
  bins
    .map((bin, i) => ({ bin, i }))
    .sort((a, b) => load(b.bin) - load(a.bin) || a.i - b.i)
    .map((b) => b.bin);

/** The registry's families spread over `count` shards by their planned seconds: the i-th share (heaviest first) is shard i's. */
export function familyShares(count: number): FamilyId[][] {
  const bins = splitByCost(
    FAMILY_IDS.map((family) => ({ key: family, cost: familyCost(family), family })),
    count,
  );
  return byLoad(bins).map((bin) => FAMILY_IDS.filter((f) => bin.some((g) => g.family === f)));
}

/** A measured test file's seconds, as bench/tests.json measured it; a file it does not know, the mean of the measured files. */
function fileCosts(): (file: string) => number {
  const bench = JSON.parse(readFileSync(new URL('../../bench/tests.json', import.meta.url), 'utf8')) as { parts?: { otherFiles?: Record<string, number> } };
  const measured = bench.parts?.otherFiles ?? {};
  const seconds = Object.values(measured);
  const unmeasured = seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : 1;
  return (file) => measured[file] ?? unmeasured;
}

/** A family's seconds in the guide suites: its scenarios on the test versions as the plan groups them (fixtures/plan/costs.json). */
function familyCost(family: FamilyId): number {
  const wanted = guideVersions().flatMap((version) => testedScenarios(family).map((scenario) => ({ version, scenario })));
  return costedGroups(wanted, committedCosts()).reduce((n, g) => n + g.cost, 0);
}
