import { FAMILIES, type FamilyId } from '../../src/families/registry.ts';
import type { AnyScenario } from '../../src/core/types.ts';
import type { GuideRef } from '../../src/core/guide-sections.ts';
import { testedScenarios } from './tested-scenarios.ts';

/** A family's guide sections in the order the catalogue first names them, each with its scenarios this run tests (tested-scenarios.ts). */
export function guideSections(family: FamilyId): Array<[section: GuideRef, scenarios: AnyScenario[]]> {
  const scenarios = testedScenarios(family);
  return [...new Set(scenarios.map((s) => s.guide.section))].map((section) => [section, scenarios.filter((s) => s.guide.section === section)]);
}

/** The describe of a guide section: "section 5" for a numbered or lettered one, else its own name. */
export function sectionLabel(section: string): string {
  return section.length <= 3 && section !== 'Quick fix' ? `section ${section}` : section;
}

/** A scenario's test as vitest names it (describes, then the test), which `-t` is matched against. */
export function guideTestName(family: FamilyId, version: string, scenario: AnyScenario): string {
  return [FAMILIES[family].title, `n8n ${version}`, sectionLabel(scenario.guide.section), scenario.title].join(' > ');
}
