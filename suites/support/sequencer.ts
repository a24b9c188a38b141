import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { FAMILY_IDS } from '../../src/scenarios/catalogue.ts';
import type { FamilyId } from '../../src/scenarios/types.ts';

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
