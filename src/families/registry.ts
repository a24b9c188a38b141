import type { FamilyHeading, LedgerCatalogue } from '../engine/report/ledger.ts';
import { clockFamily } from './clock.ts';
import { endpointsFamily } from './endpoints.ts';
import { externalFamily } from './external/index.ts';
import { guideCodeFamily } from './guide-code.ts';
import { headersFamily } from './headers.ts';
import { keysFamily } from './keys/index.ts';
import { logsFamily } from './logs.ts';
import { n8nNodeFamily } from './n8n-node/index.ts';
import { proxyFamily } from './proxy/index.ts';
import { secretsFamily } from './secrets/index.ts';
import { webhooksFamily } from './webhooks/index.ts';
import { mcpFamily } from './mcp/index.ts';
import { runnersFamily } from './runners/index.ts';
import { browserFamily } from './browser/index.ts';
import { oauth2Family } from './oauth2/index.ts';
import { mfaFamily } from './mfa/index.ts';
import { formsFamily } from './forms/index.ts';
import { allowlistFamily } from './allowlist/index.ts';
import { envAccessFamily } from './env-access/index.ts';
import { mailLinksFamily } from './mail-links/index.ts';
import type { Family } from '../core/family.ts';
import { GUIDE_SECTIONS, isGuideRef, NOT_IN_GUIDE } from '../core/guide-sections.ts';
import type { AnyScenario } from '../core/types.ts';
import { didYouMean } from '../base/did-you-mean.ts';
import { UserError } from '../base/user-error.ts';

/** The registry as written: each key is its family's id (defineFamily's first argument). */
const registry = <R extends { [F in keyof R]: Family<F & string> }>(families: R): R => families;

/**
 * Every family, in the order the guide's decision tree reaches them (the order of `authlab list`,
 * the reports and the guide suites). Adding a family: its folder under src/families/, and its line here.
 */
export const FAMILIES = registry({
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
  mcp: mcpFamily,
  oauth2: oauth2Family,
  mfa: mfaFamily,
  forms: formsFamily,
  allowlist: allowlistFamily,
  'env-access': envAccessFamily,
  'mail-links': mailLinksFamily,
});

/** A family of the catalogue: a key of the registry. */
export type FamilyId = keyof typeof FAMILIES;

export const FAMILY_IDS = Object.keys(FAMILIES) as FamilyId[];

function isFamilyId(id: string): id is FamilyId {
  return (FAMILY_IDS as string[]).includes(id);
}

/** A scenario of the catalogue: its family is one of FAMILY_IDS. */
export type CatalogueScenario = AnyScenario & { family: FamilyId };

export const scenarios: CatalogueScenario[] = FAMILY_IDS.flatMap((f): CatalogueScenario[] => FAMILIES[f].scenarios);

/** A family's title and the guide sections its scenarios cite, for report headings (an unknown family: its id). */
export function familyHeading(id: string): FamilyHeading {
  const family = isFamilyId(id) ? FAMILIES[id] : undefined;
  return { id, title: family?.title ?? id, sections: family?.sections.join(', ') ?? '' };
}

/** The catalogue as the ledger orders and heads it (every writer of a ledger hands this in). */
export const ledgerCatalogue: LedgerCatalogue = { ids: scenarios.map((s) => s.id), heading: familyHeading };

const plural = (what: string) => (what.endsWith('y') ? `${what.slice(0, -1)}ies` : `${what}s`);

/** Names the selection does not know, each with the valid name it most likely meant, then the valid ones (or where to find them). */
export class UnknownSelectionError extends UserError {
  constructor(what: string, unknown: string[], valid: string[], listing = `The ${plural(what)}: ${valid.join(', ')}`) {
    super(`unknown ${what}: ${unknown.map((u) => `${u}${didYouMean(u, valid)}`).join(', ')}. ${listing}`);
    this.name = 'UnknownSelectionError';
  }
}

/** A scenario id, or an id prefix (`headers`, `headers.`), selects this scenario. */
const selects = (id: string, s: AnyScenario): boolean => s.id === id || s.id.startsWith(id.endsWith('.') ? id : `${id}.`);

/** Unknown ids: the closest id or family prefix, else the ids of the families they name (the catalogue's 100-odd ids are authlab list's). */
function unknownIdsError(bad: string[]): UnknownSelectionError {
  const families = FAMILY_IDS.filter((f) => bad.some((id) => id.startsWith(`${f}.`)));
  const named = scenarios.filter((s) => families.includes(s.family)).map((s) => s.id);
  const listing = named.length
    ? `In ${families.join(', ')}: ${named.join(', ')} (authlab list shows every id)`
    : `Ids start with their family (${FAMILY_IDS.map((f) => `${f}.`).join(', ')}); authlab list shows every id`;
  return new UnknownSelectionError('scenario id', bad, [...scenarios.map((s) => s.id), ...FAMILY_IDS.map((f) => `${f}.`)], listing);
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
  const badIds = ids.filter((id) => !scenarios.some((s) => selects(id, s)));
  if (badIds.length) throw unknownIdsError(badIds);
  const badSections = sections.filter((s) => !isGuideRef(s));
  if (badSections.length) throw new UnknownSelectionError('section', badSections, [...GUIDE_SECTIONS, NOT_IN_GUIDE]);
  const selected = !families.length && !ids.length ? scenarios : scenarios.filter((s) => families.includes(s.family) || ids.some((id) => selects(id, s)));
  return sections.length ? selected.filter((s) => sections.includes(s.guide.section)) : selected;
}
