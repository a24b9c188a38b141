import { clockScenarios } from '../families/clock.ts';
import { endpointScenarios } from '../families/endpoints.ts';
import { externalScenarios } from '../families/external.ts';
import { guideCodeScenarios } from '../families/guide-code.ts';
import { headerScenarios } from '../families/headers.ts';
import { logScenarios } from '../families/logs.ts';
import { proxyScenarios } from '../families/proxy/index.ts';
import { secretScenarios } from '../families/secrets.ts';
import type { FamilyId, Scenario } from './types.ts';

/** Every family, in the order the guide's decision tree reaches them. */
export const FAMILIES: Record<FamilyId, { title: string; sections: string; scenarios: Scenario[] }> = {
  headers: { title: 'Headers and key values', sections: '1, 3, 4, quick fix', scenarios: headerScenarios },
  endpoints: { title: 'Endpoints: /rest vs /api/v1, verification codes, scopes', sections: 'B, F', scenarios: endpointScenarios },
  'guide-code': { title: "The guide's own code, run as printed", sections: '3.1, 3.2, B, F', scenarios: guideCodeScenarios },
  proxy: { title: 'Reverse proxies: NGINX, Caddy and Traefik in front of n8n', sections: '4 (step 8), 5, 7, decision tree Q2', scenarios: proxyScenarios },
  clock: { title: 'Clocks: skewed n8n containers (libfaketime)', sections: 'C, E', scenarios: clockScenarios },
  logs: { title: 'What n8n logs at debug level', sections: '1, E', scenarios: logScenarios },
  external: { title: 'Third-party APIs called by n8n workflows (mock providers)', sections: 'A1, A2, A3, Q1 no, Q5', scenarios: externalScenarios },
  secrets: { title: 'Encryption keys, env files and secrets', sections: 'D, 7, quick fix, Q3, Q6', scenarios: secretScenarios },
};

export const FAMILY_IDS = Object.keys(FAMILIES) as FamilyId[];

export const scenarios: Scenario[] = FAMILY_IDS.flatMap((f) => FAMILIES[f].scenarios);

export class UnknownSelectionError extends Error {
  constructor(what: string, unknown: string[], valid: string[]) {
    super(`unknown ${what}: ${unknown.join(', ')}. Valid ${what}s: ${valid.join(', ')}`);
    this.name = 'UnknownSelectionError';
  }
}

/**
 * The scenarios a run selects: by family ids and scenario ids (or an id prefix like `headers.`);
 * nothing selected means the whole catalogue. Unknown names throw with the valid ones listed.
 */
export function selectScenarios(sel: { families?: string[]; ids?: string[] } = {}): Scenario[] {
  const families = sel.families ?? [];
  const ids = sel.ids ?? [];
  const badFamilies = families.filter((f) => !FAMILY_IDS.includes(f as FamilyId));
  if (badFamilies.length) throw new UnknownSelectionError('family', badFamilies, FAMILY_IDS);
  const badIds = ids.filter((id) => !scenarios.some((s) => s.id === id || s.id.startsWith(`${id}.`)));
  if (badIds.length) throw new UnknownSelectionError('scenario id', badIds, scenarios.map((s) => s.id));
  if (!families.length && !ids.length) return scenarios;
  return scenarios.filter((s) => families.includes(s.family) || ids.some((id) => s.id === id || s.id.startsWith(`${id}.`)));
}
