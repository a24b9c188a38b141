import { UnknownSelectionError } from '../../families/registry.ts';
import type { BoundRemedy, RemedyInfo } from '../../core/types.ts';
import { allLabs, type Lab } from './lab-catalogue.ts';
import { clientRequest } from './client-requests.ts';
import type { LabState } from './lab-state.ts';

export type { Lab, LabDef, LabKind } from './lab-catalogue.ts';
/** The name the daemon and the commands use for a lab: its scenario with the lab's definition. */
export type LabScenario = Lab;

/** The scenarios a learner can break and fix by hand: their fault lives in something they edit. */
export function labScenarios(): Lab[] {
  return allLabs();
}

export function labScenario(id: string): Lab {
  const lab = labScenarios().find((s) => s.id === id);
  if (!lab)
    throw new UnknownSelectionError(
      'lab',
      [id],
      labScenarios().map((s) => s.id),
    );
  return lab;
}

/** The fix a learner should end up with: the one the catalogue verified. */
export function verifiedRemedies<R extends RemedyInfo>(remedies: R[]): R[] {
  const correct = remedies.filter((r) => r.source === 'correct');
  return correct.length ? correct : remedies.filter((r) => r.source === 'guide');
}

/** The remedies whose probes `--check` runs: the lab's named fix, else the verified ones. */
export function labFix<R extends RemedyInfo | BoundRemedy>(lab: Lab, remedies: R[]): R[] {
  if (!lab.lab.fix) return verifiedRemedies(remedies);
  const named = remedies.filter((r) => r.name === lab.lab.fix);
  if (!named.length) throw new Error(`lab ${lab.id} names a fix its scenario lacks: ${lab.lab.fix}`);
  return named;
}

/** Whether the broken stack lets the symptom request through (where it must not) rather than refusing it. */
export const symptomPasses = (lab: Lab): boolean => 'api' in lab.lab.symptom && lab.lab.symptom.api.passes === true;

type SymptomState = Pick<
  LabState,
  | 'keyFile'
  | 'proxyUrl'
  | 'n8nUrl'
  | 'workflowUrl'
  | 'n8nContainer'
  | 'callerFile'
  | 'mcpUrl'
  | 'tokenFile'
  | 'clientContainer'
  | 'forwardedFor'
  | 'member'
  | 'mail'
>;

/** The two clocks, n8n's and the learner's. */
export const clocksCommand = (state: Pick<SymptomState, 'n8nContainer'>) => `docker exec ${state.n8nContainer} date -u; date -u`;

/** The command a learner runs to see the symptom, with the key read from its file (for a clock lab whose symptom is a token: the two clocks). */
export function symptomCommand(lab: Lab, state: SymptomState): string {
  if (lab.lab.kind === 'clock' && !('signIn' in lab.lab.symptom)) return clocksCommand(state);
  return symptomRequest(lab, state);
}

/**
 * The request that fails (or passes where it must not) while the lab is broken: the API call, or
 * the workflow's webhook (with the header its caller sends, where the webhook checks one and the
 * caller's value is in a file).
 */
export function symptomRequest(lab: Lab, state: SymptomState): string {
  const symptom = lab.lab.symptom;
  if ('mcp' in symptom) return mcpRequest(state.mcpUrl ?? '<MCP URL>', `$(cat ${state.tokenFile ?? '<token file>'})`);
  if ('webhookFrom' in symptom || 'trigger' in symptom || 'signIn' in symptom || 'mailedLink' in symptom) return clientRequest(symptom, state);
  if ('workflow' in symptom) {
    const caller = lab.lab.composeWorkflow?.caller;
    const header = caller && state.callerFile ? ` -H "${caller.header}: $(cat ${state.callerFile})"` : '';
    return `curl -s${header} ${state.workflowUrl ?? '<the workflow URL>'}`;
  }
  const base = lab.lab.kind === 'proxy-config' ? state.proxyUrl : state.n8nUrl;
  const key = symptom.api.key === 'valid' ? ` -H "X-N8N-API-KEY: $(cat ${state.keyFile})"` : '';
  const cookie = symptom.api.cookieBytes ? ` -H "Cookie: session=$(head -c ${symptom.api.cookieBytes} /dev/zero | tr '\\0' x)"` : '';
  return `curl -s${key}${cookie} ${base}${symptom.api.path ?? '/api/v1/workflows'}`;
}

/** The first request of an MCP client's session (initialize), as curl sends it, with this Authorization value. */
export function mcpRequest(url: string, authorization: string): string {
  const initialize =
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}';
  return `curl -s -H "Authorization: ${authorization}" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' -d '${initialize}' ${url}`;
}
