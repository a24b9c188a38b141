import { clockFamily } from '../families/clock.ts';
import { endpointsFamily } from '../families/endpoints.ts';
import { externalFamily } from '../families/external/index.ts';
import { guideCodeFamily } from '../families/guide-code.ts';
import { headersFamily } from '../families/headers.ts';
import { keysFamily } from '../families/keys/index.ts';
import { logsFamily } from '../families/logs.ts';
import { n8nNodeFamily } from '../families/n8n-node/index.ts';
import { proxyFamily } from '../families/proxy/index.ts';
import { secretsFamily } from '../families/secrets/index.ts';
import { webhooksFamily } from '../families/webhooks/index.ts';
import { runnersFamily } from '../families/runners/index.ts';
import { browserFamily } from '../families/browser/index.ts';
import type { Family } from './family.ts';
import { GUIDE_SECTIONS, isGuideRef, NOT_IN_GUIDE } from './guide-sections.ts';
import type { AnyScenario, FamilyId } from './types.ts';
import { UserError } from '../user-error.ts';

/** Every family, in the order the guide's decision tree reaches them. */
export const FAMILIES: { [F in FamilyId]: Family<F> } = {
  headers: headersFamily,
  endpoints: endpointsFamily,
  'guide-code': guideCodeFamily,
  proxy: proxyFamily,
  clock: clockFamily,
  logs: logsFamily,
  external: externalFamily,
  secrets: secretsFamily,
  keys: keysFamily,
  'n8n-node': n8nNodeFamily,
  webhooks: webhooksFamily,
  runners: runnersFamily,
  browser: browserFamily,
};

export const FAMILY_IDS = Object.keys(FAMILIES) as FamilyId[];

function isFamilyId(id: string): id is FamilyId {
  return (FAMILY_IDS as string[]).includes(id);
}

/** A scenario of the catalogue: its family is one of FAMILY_IDS. */
export type CatalogueScenario = AnyScenario & { family: FamilyId };

export const scenarios: CatalogueScenario[] = FAMILY_IDS.flatMap((f): CatalogueScenario[] => FAMILIES[f].scenarios);

/** A family's title and the guide sections its scenarios cite, for report headings (an unknown family: its id). */
export function familyHeading(id: string): { id: string; title: string; sections: string } {
  const family = isFamilyId(id) ? FAMILIES[id] : undefined;
  return { id, title: family?.title ?? id, sections: family?.sections.join(', ') ?? '' };
}

export class UnknownSelectionError extends UserError {
  constructor(what: string, unknown: string[], valid: string[]) {
    super(`unknown ${what}: ${unknown.join(', ')}. Valid ${what}s: ${valid.join(', ')}`);
    this.name = 'UnknownSelectionError';
  }
}

/**
 * The scenarios a run selects: by family ids and scenario ids (or an id prefix like `headers.`);
 * nothing selected means the whole catalogue. `sections` (guide sections, or `not in the guide`)
 * narrows what the others selected. Unknown names throw with the valid ones listed.
 */
export function selectScenarios(sel: { families?: string[]; ids?: string[]; sections?: string[] } = {}): CatalogueScenario[] {
  const families = sel.families ?? [];
  const ids = sel.ids ?? [];
  const sections = sel.sections ?? [];
  const badFamilies = families.filter((f) => !isFamilyId(f));
  if (badFamilies.length) throw new UnknownSelectionError('family', badFamilies, FAMILY_IDS);
  const badIds = ids.filter((id) => !scenarios.some((s) => s.id === id || s.id.startsWith(`${id}.`)));
  if (badIds.length)
    throw new UnknownSelectionError(
      'scenario id',
      badIds,
      scenarios.map((s) => s.id),
    );
  const badSections = sections.filter((s) => !isGuideRef(s));
  if (badSections.length) throw new UnknownSelectionError('section', badSections, [...GUIDE_SECTIONS, NOT_IN_GUIDE]);
  const selected =
    !families.length && !ids.length
      ? scenarios
      : scenarios.filter((s) => families.includes(s.family) || ids.some((id) => s.id === id || s.id.startsWith(`${id}.`)));
  return sections.length ? selected.filter((s) => sections.includes(s.guide.section)) : selected;
}
