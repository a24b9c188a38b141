import { resolve } from 'node:path';
import { DEFAULT_N8N_VERSIONS, resolveN8nVersion } from '../parts/images/n8n-versions.ts';
import { applyLabEdit, checkLabFix, downLab, resetLab, startLab } from '../features/lab/lab-client.ts';
import { writeLabCompose } from '../features/lab/lab-compose.ts';
import { readLabState } from '../features/lab/lab-state.ts';
import { HINT_PLACEHOLDERS, hintLadder } from '../features/lab/lab-hints.ts';
import { DEFAULT_LAB_VERSION, labPlans, planOf } from '../features/lab/lab-plan.ts';
import { learnerTitle } from '../features/lab/lab-titles.ts';
import { readLabVersions } from '../features/lab/lab-versions.ts';
import { labScenario, labScenarios, type Lab, symptomCommand } from '../features/lab/labs.ts';
import { docker } from '../docker/docker.ts';
import { assertLoopbackPortFree, parseHostPort } from '../parts/stack/host-port.ts';
import { UserError } from '../base/user-error.ts';
import type { LAB_OPTIONS } from './command-options.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { assertWritableFolder } from './input-files.ts';
import { out, progress } from './io.ts';
import { labDetails, labJson, labTable } from './lab-list.ts';
import type { Values } from './options.ts';

const defaultVersion = () => DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!;

/** `lab list [--details | --json]`: what a trainer plans a session with; needs no Docker. */
function list(values: Values<typeof LAB_OPTIONS>): number {
  if (values.details && values.json) throw new UserError('lab list takes --details or --json, not both');
  const { plans, sources } = labPlans(labScenarios());
  if (values.json) out(labJson(plans, sources));
  else for (const line of values.details ? labDetails(plans, sources) : labTable(plans, sources)) out(line);
  return 0;
}

/** `lab <id> --hints`: the whole ladder, for the trainer; the running lab's names where one runs, else placeholders. No Docker. */
async function hints(scenario: Lab): Promise<number> {
  const state = await readLabState(scenario.id);
  const ladder = hintLadder(scenario, state?.n8nUrl ? state : HINT_PLACEHOLDERS);
  out(`${scenario.id}: ${learnerTitle(scenario)}`);
  out(state?.n8nUrl ? `(the running lab's names)` : '(no lab running: names in <angle brackets> are what a running lab prints)');
  for (const [i, h] of ladder.entries()) out(`hint ${i + 1}/${ladder.length}: ${h}`);
  return 0;
}

/** Where the user named no version and the published ledger says the default's n8n shrugs the fault off: say so at once, with a version that breaks. */
function assertBreaksOnDefault(scenario: Lab): void {
  const plan = planOf(scenario, readLabVersions(), undefined);
  if (plan.breaksOnDefault) return;
  throw new UserError(
    `lab ${scenario.id} does not break on n8n ${DEFAULT_LAB_VERSION}, the default (the published ledger: it breaks on ${plan.breaks.join(', ') || 'no version'}); start it with: authlab lab ${scenario.id} --n8n ${plan.suggestedVersion ?? '<version>'}`,
  );
}

/** `authlab lab list | <id> [--n8n <v>] [--port <p>] [--check | --reset | --down | --hint N | --hints | --compose <dir>]`. */
export async function run(values: Values<typeof LAB_OPTIONS>, args: string[]): Promise<number> {
  const id = args[0];
  if (!id) throw new UserError('lab needs "list" or a scenario id; see: authlab lab list');
  if (id === 'list') return list(values);
  if (values.details || values.json) throw new UserError('--details and --json go with lab list');
  const scenario = labScenario(id);
  if (values.hints) return hints(scenario);
  // Resolved (1.123.x, latest, ...) only where a stack or a compose file is made.
  const version = () => resolveN8nVersion(values.n8n ?? defaultVersion());
  if (values.compose) {
    if (scenario.lab.composeRefused) throw new UserError(`lab ${id} has no compose export: ${scenario.lab.composeRefused}; run it with: authlab lab ${id}`);
    await assertWritableFolder(values.compose, '--compose');
    const project = await writeLabCompose(scenario, await version(), resolve(values.compose));
    out(`wrote ${project.files.join(', ')} in ${project.dir}; start it with: docker compose up -d (README.md says what next)`);
    return 0;
  }
  if (values.check) {
    const result = await checkLabFix(id);
    for (const line of result.lines) out(line);
    out(result.fixed ? 'fixed: the probes of the verified fix pass' : 'not fixed yet');
    return result.fixed ? 0 : 1;
  }
  if (values.apply) {
    for (const line of (await applyLabEdit(id)).lines) out(line);
    return 0;
  }
  if (values.reset) {
    for (const line of (await resetLab(id)).lines) out(line);
    return 0;
  }
  if (values.down) {
    const left = await downLab(id);
    out(`lab ${id} stopped; removed ${left.containers} container(s), ${left.networks} network(s), ${left.volumes} volume(s) left behind`);
    return 0;
  }
  if (values.hint) {
    const state = await readLabState(id);
    if (!state?.n8nUrl) throw new UserError(`no lab ${id} is running; start it with: authlab lab ${id}`);
    const ladder = hintLadder(scenario, state);
    const n = Number(values.hint);
    if (!Number.isInteger(n) || n < 1 || n > ladder.length) throw new UserError(`--hint takes 1 to ${ladder.length}`);
    out(`hint ${n}/${ladder.length}: ${ladder[n - 1]}`);
    return 0;
  }
  if (values.n8n === undefined) assertBreaksOnDefault(scenario);
  const port = values.port === undefined ? undefined : parseHostPort(values.port);
  const images = imageOptionsFromFlags(values, progress);
  const n8n = await version();
  if (port) await assertLoopbackPortFree(port);
  await docker();
  const state = await startLab(id, n8n, { offline: images.offline, registry: images.registry, caBundle: images.caBundle, port, progress });
  out(`lab ${id} is running on n8n ${n8n} (${learnerTitle(scenario)}); stop it with: authlab lab ${id} --down`);
  out(`  n8n straight:  ${state.n8nUrl}`);
  if (state.proxyUrl) out(`  through ${scenario.lab.kind === 'proxy-config' && scenario.lab.proxy === 'caddy' ? 'Caddy' : 'NGINX'}: ${state.proxyUrl}`);
  out(`  API key:       in ${state.keyFile} (never printed)`);
  if (state.tokenFile && state.mcpUrl) out(`  the MCP client: calls ${state.mcpUrl}, sending the Authorization in ${state.tokenFile}`);
  if (state.tokenFile && !state.mcpUrl) out(`  the visitor:   visits ${state.workflowUrl}, sending the Authorization in ${state.tokenFile}`);
  if (state.clientContainer)
    out(`  the webhook's callers: Node.js in ${state.clientContainer} and in n8n's container, each at an address of its own on the stack network`);
  if (state.member)
    out(
      `  the member:    ${state.member.email}, its password in ${state.member.passwordFile}; its authenticator's code now in ${state.member.authenticatorFile} (a new one every 30 s)`,
    );
  if (state.mail) {
    out(`  the invitee:   its own machine on the stack network (container ${state.mail.container}), where n8n's public URL is ${state.mail.publicUrl} (NGINX)`);
    out(`  the mailbox:   what the mail server received, whole: curl -s ${state.mail.mailboxUrl}`);
  }
  if (state.givenFile && scenario.lab.given) out(`  given to you:  ${scenario.lab.given.what}, in ${state.givenFile}`);
  out('The symptom to reproduce:');
  out(`  ${symptomCommand(scenario, state)}`);
  for (const line of state.symptom ?? []) out(`  ${line}`);
  out(`Your workspace: ${state.workspace?.what}${state.workspace?.files.length ? `: ${state.workspace.files.join(', ')}` : ''}.`);
  if (state.workspace?.apply.length) out('After an edit, make it live:');
  for (const cmd of state.workspace?.apply ?? []) out(`  ${cmd}`);
  out(`Check your fix: authlab lab ${id} --check    Start over: authlab lab ${id} --reset`);
  out(`hint 1/${hintLadder(scenario, state).length}: ${hintLadder(scenario, state)[0]}`);
  out(`  (next: authlab lab ${id} --hint 2)`);
  return 0;
}
