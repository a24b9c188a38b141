import type { Lab, LabKind } from './lab-catalogue.ts';
import type { LabState } from './lab-state.ts';
import { symptomCommand, symptomRequest, verifiedRemedies } from './labs.ts';

type HintState = Pick<LabState, 'keyFile' | 'proxyUrl' | 'n8nUrl' | 'proxyContainer' | 'n8nContainer' | 'workflowUrl' | 'callerFile'>;

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
};

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
  clock: (lab, s) => `Compare the clocks: ${symptomCommand(lab, s)}. A token is judged by the clock of whoever reads it.`,
};

/** What to read of what runs: the lab's own where its fault stops n8n, else the kind's. */
const running = (lab: Lab, s: HintState): string => lab.lab.hintRunning?.(s.n8nContainer ?? "n8n's container") ?? RUNNING[lab.lab.kind](lab, s);

function doctorRung(lab: Lab, s: HintState): string {
  if (lab.doctorBlind) return `The doctor cannot see this one from outside (${lab.doctorBlind}); read ${running(lab, s)}.`;
  const proxy = lab.lab.kind === 'proxy-config' && s.proxyUrl ? ` --proxy-url ${s.proxyUrl}` : '';
  return `Ask the doctor: authlab doctor --url ${s.n8nUrl}${proxy} --key-file ${s.keyFile}`;
}

/** The hint ladder: from where to look, through what the guide says, to the fix the catalogue verified. */
export function hintLadder(lab: Lab, state: HintState): string[] {
  const fixes = lab.lab.fix ? [lab.lab.fix] : verifiedRemedies(lab.remedies).map((r) => r.name);
  return [
    WHERE[lab.lab.kind](lab, state),
    doctorRung(lab, state),
    `Read ${running(lab, state)} and compare it with the guide, section ${lab.guide.section}: "${lab.guide.claim}"; its fix: ${lab.guide.fix || 'none given'}.`,
    `The fix the catalogue verified: ${fixes.join('; ')}.`,
  ];
}
