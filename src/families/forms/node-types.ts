import { prerequisite } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';

const FORM_TRIGGER = 'n8n-nodes-base.formTrigger';

interface NodeDescription {
  name?: string;
  version?: number | number[];
  properties?: Array<{ name?: string; options?: Array<{ value?: unknown }> }>;
}

/** What this n8n's Form Trigger offers for its `authentication` parameter, read from its node types. */
export interface FormAuthOffer {
  /** The newest Form Trigger version offering `auth`, else the newest version there is (0: no Form Trigger). */
  typeVersion: number;
  offered: boolean;
  /** Each description's versions and the authentications it offers, one line. */
  evidence: string;
}

const versionsOf = (d: NodeDescription): number[] => [d.version ?? []].flat();

const authOptionsOf = (d: NodeDescription): string[] =>
  (d.properties ?? []).filter((p) => p.name === 'authentication').flatMap((p) => (p.options ?? []).map((o) => String(o.value)));

/**
 * Reads n8n's node types (`/types/nodes.json`: a description per Form Trigger class, each with the
 * versions it serves) for the Form Trigger versions whose `authentication` offers `auth`.
 */
export function formAuthOffer(nodeTypes: unknown, auth: string): FormAuthOffer {
  const forms = (Array.isArray(nodeTypes) ? (nodeTypes as NodeDescription[]) : []).filter((d) => d.name === FORM_TRIGGER);
  const offering = forms.filter((d) => authOptionsOf(d).includes(auth));
  const newest = (list: NodeDescription[]) => Math.max(0, ...list.flatMap(versionsOf));
  const evidence = forms.length
    ? forms.map((d) => `versions ${versionsOf(d).join(', ')}: authentication ${authOptionsOf(d).join(', ') || '(none)'}`).join('; ')
    : 'no Form Trigger in its node types';
  return { typeVersion: newest(offering.length ? offering : forms), offered: offering.length > 0, evidence };
}

/** Whether this n8n's Form Trigger offers `auth` (a prerequisite: n8n 1.x has no n8n User Auth for forms), and the version to deploy. */
export async function formAuthOffered(ctx: ScenarioContext, auth: string): Promise<{ typeVersion: number; proof: Check }> {
  const answer = await ctx.n8n.client.call('GET', '/types/nodes.json');
  const offer = formAuthOffer(answer.json, auth);
  const proof = prerequisite(
    `this n8n's Form Trigger offers authentication "${auth}"`,
    offer.offered,
    `GET /types/nodes.json (signed in): ${answer.status}; Form Trigger ${offer.evidence}`,
  );
  return { typeVersion: offer.typeVersion, proof };
}
