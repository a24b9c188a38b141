import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import type { Lab, LabKind } from './lab-catalogue.ts';
import type { LabState } from './lab-state.ts';
import { clocksCommand, symptomRequest, verifiedRemedies } from './labs.ts';

type HintState = Pick<
  LabState,
  | 'keyFile'
  | 'proxyUrl'
  | 'n8nUrl'
  | 'proxyContainer'
  | 'n8nContainer'
  | 'workflowUrl'
  | 'callerFile'
  | 'mcpUrl'
  | 'tokenFile'
  | 'givenFile'
  | 'clientContainer'
  | 'forwardedFor'
  | 'doctorWebhookUrl'
  | 'member'
  | 'mail'
>;

/** How to read what is running, for each kind of fault location. */
const RUNNING: Record<LabKind, (lab: Lab, s: HintState) => string> = {
  'proxy-config': (lab, s) =>
    lab.lab.kind === 'proxy-config' && lab.lab.proxy === 'caddy'
      ? `the config the proxy runs (docker exec ${s.proxyContainer} caddy adapt --config /etc/caddy/Caddyfile --pretty)`
      : `the config the proxy runs (docker exec ${s.proxyContainer} nginx -T)`,
  env: (_lab, s) =>
    `the environment n8n runs with (docker exec ${s.n8nContainer} printenv | grep N8N_) and what it logged at start (docker logs ${s.n8nContainer})`,
  credential: () => "the credential's value byte by byte (copy it from the editor into a file, then od -c that file)",
  clock: (_lab, s) => `n8n's clock against yours (docker exec ${s.n8nContainer} date -u; date -u) and the time claims of the token involved`,
  setting: (_lab, s) =>
    `the settings of n8n's editor the client's endpoint depends on (${s.n8nUrl}/settings) and what n8n logged at the request (docker logs ${s.n8nContainer})`,
  client: (_lab, s) =>
    `what the client sends (cat ${s.tokenFile}) against what n8n holds for it: a JWT's middle part is base64url JSON (cut -d. -f2 ${s.tokenFile} | tr '_-' '/+' | base64 -d), its aud claim says which kind of key it is; the settings and credentials of n8n's editor say which one n8n wants`,
};

/** Where to look first when the symptom is an MCP client's request. */
const MCP_WHERE = (lab: Lab, s: HintState): string =>
  `Send the client's first request yourself and read the whole answer: ${symptomRequest(lab, s).replace('curl -s', 'curl -si')}. Which status, which message, and is there a WWW-Authenticate header: did n8n look at the token at all?`;

/** The first rung: where to look first, for each kind. */
const WHERE: Record<LabKind, (lab: Lab, s: HintState) => string> = {
  'proxy-config': (_lab, s) =>
    `Send the same key straight to n8n: curl -s -H "X-N8N-API-KEY: $(cat ${s.keyFile})" ${s.n8nUrl}/api/v1/workflows. Works there, fails through the proxy? Then the proxy changes the request (the guide's decision tree, Q2).`,
  env: (_lab, s) =>
    `Is it the key or the instance? A request without a key (curl -s ${s.n8nUrl}/api/v1/workflows) tells n8n's refusal of a missing key from a route that is not there; n8n's log says what it read at start (docker logs ${s.n8nContainer}).`,
  credential: (lab, s) =>
    lab.lab.composeWorkflow?.caller
      ? `Call the webhook as its caller does (${symptomRequest(lab, s)}): what does n8n answer, and what exactly does the credential the webhook checks hold?`
      : `Run the workflow (${s.workflowUrl ? `curl -s ${s.workflowUrl}` : 'its webhook'}), then open its execution in the editor (${s.n8nUrl}, Executions): which node failed, and what did the API it called answer?`,
  clock: (_lab, s) => `Compare the clocks: ${clocksCommand(s)}. A token is judged by the clock of whoever reads it.`,
  setting: (lab, s) => MCP_WHERE(lab, s),
  client: (lab, s) => MCP_WHERE(lab, s),
};

/** What to read of what runs: the lab's own where its fault stops n8n, else the kind's. */
const running = (lab: Lab, s: HintState): string => lab.lab.hintRunning?.(s.n8nContainer ?? "n8n's container", s) ?? RUNNING[lab.lab.kind](lab, s);

/** The second rung by hand for an MCP client's request: the answer in full, and what the client sends. */
const MCP_BY_HAND = (lab: Lab, s: HintState): string =>
  `Who refuses, and at which step? ${symptomRequest(lab, s).replace('curl -s', 'curl -si')} prints n8n's status line and headers: 404 with a message before any token check, 401 with WWW-Authenticate for the token, 403 from a workflow's own check; then compare what the client sends (${s.tokenFile}) with what n8n gave for it.`;

/** The second rung where this tool is not at hand (a compose export): what the doctor would look at, by hand. */
const BY_HAND: Record<LabKind, (lab: Lab, s: HintState) => string> = {
  'proxy-config': (lab, s) =>
    'workflow' in lab.lab.symptom
      ? `Which hop fails? The failed execution (${s.n8nUrl}, Executions) shows what n8n's own call got back; the proxy's log (docker logs ${s.proxyContainer}) shows that call arriving and what it answered.`
      : `Who answered? ${symptomRequest(lab, s).replace('curl -s', 'curl -si')} prints the status line and headers: a page from the proxy (its Server header, an HTML body) means the proxy answered itself; n8n's JSON means n8n refused what reached it. The proxy's log: docker logs ${s.proxyContainer}.`,
  env: (_lab, s) =>
    `Is n8n up, and what does it say? curl -si ${s.n8nUrl}/healthz (no answer: n8n is not running; docker ps -a shows its state), then the API without a key and with yours: the two answers' status and body, against the guide's decision tree.`,
  credential: () =>
    'Compare what the credential holds with what you meant to enter, field by field: copy each value out of the editor into a file and count its bytes (wc -c). A byte you cannot see, a part of a URL left out or a prefix the other side wants (Bearer) each make it refuse the value.',
  setting: (lab, s) => MCP_BY_HAND(lab, s),
  client: (lab, s) => MCP_BY_HAND(lab, s),
  clock: (_lab, s) =>
    `Read the token's time claims: a JWT's middle part is base64url JSON (an n8n API key: cut -d. -f2 ${s.keyFile} | tr '_-' '/+' | base64 -d), iat and exp in seconds; compare them with date -u +%s here and in n8n (docker exec ${s.n8nContainer} date -u +%s).`,
};

function doctorRung(lab: Lab, s: HintState): string {
  if (lab.lab.hintDoctor) return lab.lab.hintDoctor(s);
  if (lab.doctorBlind) return `The doctor cannot see this one from outside (${lab.doctorBlind}); read ${running(lab, s)}.`;
  if ('mcp' in lab.lab.symptom) return `Ask the doctor: authlab doctor --mcp-url ${s.mcpUrl} --mcp-token-file ${s.tokenFile}`;
  const proxy = lab.lab.kind === 'proxy-config' && s.proxyUrl ? ` --proxy-url ${s.proxyUrl}` : '';
  return `Ask the doctor: authlab doctor --url ${s.n8nUrl}${proxy} --key-file ${s.keyFile}`;
}

/**
 * The hint ladder: from where to look, through what the guide says, to the fix the catalogue
 * verified. `byHand`: for people without this tool (a compose export), the second rung reads
 * what the doctor would, with curl and docker.
 */
export function hintLadder(lab: Lab, state: HintState, opts: { byHand?: boolean } = {}): string[] {
  const fixes = lab.lab.fix ? [lab.lab.fix] : verifiedRemedies(lab.remedies).map((r) => r.name);
  return [
    lab.lab.hintWhere?.(state) ?? WHERE[lab.lab.kind](lab, state),
    opts.byHand ? BY_HAND[lab.lab.kind](lab, state) : doctorRung(lab, state),
    lab.guide.section === NOT_IN_GUIDE
      ? `Read ${running(lab, state)}. The guide does not cover this; what n8n's users are told: "${lab.guide.claim}"; the fix they are given: ${lab.guide.fix || 'none'}.`
      : `Read ${running(lab, state)} and compare it with the guide, section ${lab.guide.section}: "${lab.guide.claim}"; its fix: ${lab.guide.fix || 'none given'}.`,
    `The fix ${opts.byHand ? 'verified on a real n8n' : 'the catalogue verified'}: ${fixes.join('; ')}.`,
  ];
}

/** Where a trainer reads the ladder with no lab running: names in angle brackets where a running lab has real ones. */
export const HINT_PLACEHOLDERS: HintState = {
  keyFile: '<api-key file>',
  n8nUrl: '<n8n URL>',
  proxyUrl: '<proxy URL>',
  proxyContainer: '<proxy container>',
  n8nContainer: '<n8n container>',
  workflowUrl: '<workflow URL>',
  callerFile: '<caller-value file>',
  mcpUrl: '<MCP URL>',
  tokenFile: '<mcp-authorization or visitor-authorization file>',
  givenFile: '<given file>',
  clientContainer: '<client container>',
  forwardedFor: '<listed address>',
  doctorWebhookUrl: "<the doctor's webhook URL>",
  member: { email: '<member email>', passwordFile: '<member-password file>', authenticatorFile: '<authenticator-code file>', codeFile: '<code file>' },
  mail: { container: '<invitee container>', openScript: '<open-mailed-link.js file>', mailboxUrl: '<mailbox URL>', publicUrl: '<public URL>' },
};
