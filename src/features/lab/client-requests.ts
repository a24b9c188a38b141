import { N8N_ITSELF } from '../../families/allowlist/routes.ts';
import { CHAT_MESSAGE } from '../../families/forms/triggers.ts';
import type { LabSymptom } from './lab-def.ts';
import type { LabState } from './lab-state.ts';
import { mailedLinkCommand } from './mailed-link.ts';

/** The printed requests of the labs whose symptom is a client other than the API's (lab-clients.ts hands their files). */

type ClientState = Pick<LabState, 'n8nUrl' | 'workflowUrl' | 'n8nContainer' | 'tokenFile' | 'clientContainer' | 'forwardedFor' | 'member' | 'mail'>;
type ClientSymptom = Extract<LabSymptom, { webhookFrom: unknown } | { trigger: unknown } | { signIn: unknown } | { mailedLink: unknown }>;

/** A GET in the container's own Node.js (the n8n image's; no curl there), printing the status and the body. */
const FETCH = `fetch(process.argv[1],{headers:JSON.parse(process.argv[2]||"{}")}).then(async r=>console.log(r.status,await r.text()))`;

/** A GET from a container on the stack network (so from its address there), with these headers. */
export function fetchFromContainer(container: string, url: string, headers: Record<string, string> = {}): string {
  const json = Object.keys(headers).length ? ` '${JSON.stringify(headers)}'` : '';
  return `docker exec ${container} node -e '${FETCH}' ${url}${json}`;
}

/** The container a webhook's client runs in: the listed one in the tap's, the other in n8n's own. */
export const clientContainerOf = (client: 'listed' | 'other', s: ClientState): string =>
  (client === 'listed' ? s.clientContainer : s.n8nContainer) ?? `<${client === 'listed' ? 'client' : 'n8n'} container>`;

/** The same webhook as the symptom's, straight to n8n on the stack network (no proxy between). */
export const straightToN8n = (url: string | undefined): string => (url ?? '<webhook URL>').replace(/^https?:\/\/[^/]+/, `http://${N8N_ITSELF}:5678`);

/** The request that shows the symptom of a webhook's caller, a form or chat visitor, a member signing in, or an invitee opening its mail. */
export function clientRequest(symptom: ClientSymptom, s: ClientState): string {
  if ('mailedLink' in symptom) return mailedLinkCommand(s.mail);
  if ('webhookFrom' in symptom) {
    const { client, forged } = symptom.webhookFrom;
    const url = s.workflowUrl ?? '<webhook URL>';
    return fetchFromContainer(clientContainerOf(client, s), url, forged ? { 'X-Forwarded-For': s.forwardedFor ?? '<listed address>' } : {});
  }
  if ('trigger' in symptom) {
    const authorization = `-H "Authorization: $(cat ${s.tokenFile ?? '<visitor file>'})"`;
    const url = s.workflowUrl ?? `<${symptom.trigger} URL>`;
    // A form's refusal is an empty body: only the status line and headers show it.
    if (symptom.trigger === 'form') return `curl -si ${authorization} ${url}`;
    return `curl -s ${authorization} -H 'Content-Type: application/json' -d '${JSON.stringify(CHAT_MESSAGE)}' ${url}`;
  }
  const m = s.member;
  const body = `{\\"emailOrLdapLoginId\\":\\"${m?.email ?? '<email>'}\\",\\"password\\":\\"$(cat ${m?.passwordFile ?? '<password file>'})\\",\\"mfaCode\\":\\"$(cat ${m?.codeFile ?? '<code file>'})\\"}`;
  return `curl -s -H 'Content-Type: application/json' -H 'browser-id: authlab-lab' -d "${body}" ${s.n8nUrl ?? '<n8n URL>'}/rest/login`;
}
