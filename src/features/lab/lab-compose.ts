import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FIXTURES_DIR } from '../../parts/images/paths.ts';
import { PROVIDERS } from '../../parts/providers/catalog.ts';
import { loadWorkflow } from '../../core/workflows.ts';
import { composeFile, proxyOf, SETUP_FILES } from './compose-yaml.ts';
import { CALLER_SECRET, LEARNER_KEY_PLACEHOLDER, type Lab } from './lab-catalogue.ts';
import { hintLadder } from './lab-hints.ts';
import { learnerTitle } from './lab-titles.ts';
import { breaksOf, readLabVersions } from './lab-versions.ts';
import { symptomCommand, symptomPasses, symptomRequest } from './labs.ts';
import { withoutComments } from './learner-files.ts';

export interface ComposeProject {
  dir: string;
  files: string[];
}

/** The path of the webhook that starts a compose export's workflow: neutral, it names no fault. */
export const COMPOSE_WEBHOOK_PATH = 'lab';
const CREDENTIAL_ID_PLACEHOLDER = 'THE-CREDENTIAL-ID';

/** The placeholders the README's commands carry where a running lab has real names. */
const PLACEHOLDERS = {
  keyFile: 'api-key',
  n8nUrl: 'http://localhost:5678',
  proxyUrl: 'http://localhost:8080',
  proxyContainer: '$(docker compose ps -q proxy)',
  // -a: a stopped n8n too (a fault that stops it leaves its container for docker logs and docker cp).
  n8nContainer: '$(docker compose ps -aq n8n)',
  workflowUrl: `http://localhost:5678/webhook/${COMPOSE_WEBHOOK_PATH}`,
  callerFile: SETUP_FILES.caller,
};

const envText = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');

/** A secret for each env a provider reads one from (a key the mock accepts, a signing secret). */
function providerSecrets(lab: Lab): Record<string, string> {
  const names = (lab.lab.composeWorkflow?.providers ?? []).flatMap((p): string[] => PROVIDERS[p].secretEnv ?? []);
  return Object.fromEntries(names.map((env) => [env, randomBytes(24).toString('hex')]));
}

/** The value a webhook's caller was given, where the export's webhook checks one. */
const callerSecret = (lab: Lab): Record<string, string> => (lab.lab.composeWorkflow?.caller ? { [CALLER_SECRET]: randomBytes(18).toString('base64url') } : {});

/** What setup.mjs makes in n8n: the credential (the learner's key where the placeholder is) and the workflow on it. */
async function setupData(lab: Lab, secrets: Record<string, string>): Promise<Record<string, string> | undefined> {
  const spec = lab.lab.composeWorkflow;
  if (!spec) return undefined;
  const w = spec.workflow({ stack: { spec: { name: 'compose' }, providers: { secrets } } });
  const at = { credentialId: CREDENTIAL_ID_PLACEHOLDER, webhookPath: COMPOSE_WEBHOOK_PATH };
  const workflow = 'build' in w ? w.build(at) : await loadWorkflow(w.fixture, { ...w.values, ...at, webhookId: randomUUID() });
  const data = {
    credential: w.credential,
    workflow,
    webhookPath: COMPOSE_WEBHOOK_PATH,
    learnerKeyPlaceholder: LEARNER_KEY_PLACEHOLDER,
    credentialIdPlaceholder: CREDENTIAL_ID_PLACEHOLDER,
  };
  return { [SETUP_FILES.data]: `${JSON.stringify(data, null, 2)}\n` };
}

/**
 * The lab as a docker compose project for people without this tool: n8n (and the proxy, the mock
 * APIs a workflow calls, a setup that makes the credential and workflow) with the fault in the
 * file the learner edits, a README with the symptom and the hints. Secrets and the fault's env go
 * to `.env` and `providers.env` (mode 600), never into the compose file; no file the learner edits
 * says what is wrong.
 */
export async function writeLabCompose(lab: Lab, version: string, dir: string): Promise<ComposeProject> {
  if (lab.lab.composeRefused) throw new Error(`lab ${lab.id} has no compose export: ${lab.lab.composeRefused}`);
  const proxy = proxyOf(lab);
  const secrets = providerSecrets(lab);
  const caller = callerSecret(lab);
  const files: Record<string, string> = {
    'docker-compose.yml': composeFile(lab, version),
    ...(proxy ? { [proxy.file]: withoutComments(await (lab.lab.kind === 'proxy-config' ? lab.lab.faultyConfig() : lab.lab.composeProxy!.config())) } : {}),
    'README.md': readme(lab, version),
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  // The setup's data holds the providers' secrets too.
  const secretFiles: Record<string, string> = {
    ...(await setupData(lab, { ...secrets, ...caller })),
    ...(caller[CALLER_SECRET] ? { [SETUP_FILES.caller]: caller[CALLER_SECRET] } : {}),
    '.env': envText({ N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'), ...lab.lab.composeEnv }),
    ...(lab.lab.composeWorkflow?.providers.length ? { [SETUP_FILES.providersEnv]: envText(secrets) } : {}),
  };
  for (const [name, content] of Object.entries(secretFiles)) await writeFile(join(dir, name), content, { mode: 0o600 });
  if (lab.lab.composeWorkflow) await copyFile(join(FIXTURES_DIR, 'lab-compose', SETUP_FILES.script), join(dir, SETUP_FILES.script));
  return { dir, files: [...Object.keys(files), ...Object.keys(secretFiles), ...(lab.lab.composeWorkflow ? [SETUP_FILES.script] : [])] };
}

/** What the learner edits in the project, and how the edit goes live. */
function editSteps(lab: Lab): string {
  const proxy = proxyOf(lab);
  if (proxy && lab.lab.kind === 'proxy-config') return `Edit \`${proxy.file}\`, then \`docker compose exec proxy ${proxy.reload}\`.`;
  const lookUpAgain = proxy ? `, then \`docker compose exec proxy ${proxy.reload}\` (the proxy looks the new n8n up)` : '';
  if (lab.lab.kind === 'env')
    return `Edit \`.env\`, then \`docker compose up -d\` (a restart keeps the old environment; up -d recreates n8n with the new one)${lookUpAgain}.`;
  if (lab.lab.kind === 'clock') return "Edit `FAKETIME` in `.env` (libfaketime's offset; empty: the host's time), then `docker compose up -d`.";
  return "Edit the credential in n8n's editor (Credentials); n8n saves it, no restart needed.";
}

const SETUP_STEP = `

Then set up the workflow the lab is about (a credential and a workflow, made in n8n with your key):

    docker compose run --rm setup`;

function symptomSection(lab: Lab): string {
  if (lab.lab.composeStops)
    return `n8n does not start: its container exits, and nothing answers

    docker compose ps n8n
    docker compose logs n8n | grep '${lab.lab.composeStops}'
    ${symptomRequest(lab, PLACEHOLDERS)}
${lab.lab.composeNote ? `\n${lab.lab.composeNote}.\n` : ''}${lab.lab.composeThen ? `\n${envText(lab.lab.composeThen).replace(/^/gm, '    ')}` : ''}`;
  if (lab.lab.composeLogSymptom)
    return `Sign in through the proxy (http://localhost:8080/signin), then read n8n's log:

    docker compose logs n8n | grep ${lab.lab.composeLogSymptom}

prints n8n's error where it should print nothing.
`;
  const request = symptomRequest(lab, PLACEHOLDERS);
  const clocks = lab.lab.kind === 'clock' ? `\n\nCompare the clocks:\n\n    ${symptomCommand(lab, PLACEHOLDERS)}` : '';
  const straight =
    lab.lab.kind === 'proxy-config' && 'api' in lab.lab.symptom ? ', while the same request straight to http://localhost:5678 answers as it should' : '';
  return `    ${request}

${symptomPasses(lab) ? 'succeeds where it should not' : 'fails'}${straight}.${clocks}
${lab.lab.composeNote ? `\n${lab.lab.composeNote}.\n` : ''}${lab.lab.composeThen ? `\n${envText(lab.lab.composeThen).replace(/^/gm, '    ')}` : ''}`;
}

/** Which n8n the export runs, and where the published ledger (or, for a lab not on it yet, the run it names) saw the symptom. */
function versionsLine(lab: Lab, version: string): string {
  const v = readLabVersions();
  const where = breaksOf(v, lab.id);
  const tested = where.source === 'elsewhere' ? v.judgedElsewhere!.versions : v.ledger.versions;
  const not = tested.filter((x) => !where.breaks.includes(x) && !where.notRun.includes(x));
  const by = where.source === 'elsewhere' ? ` by ${v.judgedElsewhere!.source}` : '';
  return `It runs n8n ${version} (set N8N_IMAGE${lab.lab.kind === 'clock' ? ' or N8N_FAKETIME_IMAGE' : ''} for another). Of the versions tested${by} (${tested.join(', ')}), the symptom shows on ${where.breaks.join(', ') || 'none'}${not.length ? `, not on ${not.join(', ')}` : ''}.`;
}

function readme(lab: Lab, version: string): string {
  const providers = lab.lab.composeWorkflow?.providers.length
    ? `\nThe mock API the workflow calls (service \`providers\`) is authlab's own, run from authlab's installation (AUTHLAB_DIR);\nthe keys and secrets it accepts are in \`${SETUP_FILES.providersEnv}\`.\n`
    : '';
  const caller = lab.lab.composeWorkflow?.caller
    ? `\nThe value the webhook's caller was given (its ${lab.lab.composeWorkflow.caller.header} header) is in \`${SETUP_FILES.caller}\` (mode 600).\n`
    : '';
  const expiry = lab.lab.composeKeyExpiresInDays ? ` with an expiration of ${lab.lab.composeKeyExpiresInDays} days` : '';
  return `# Lab: ${learnerTitle(lab)}

${versionsLine(lab, version)}
The guide this lab follows: section ${lab.guide.section} (hint 3 quotes it).

## Start

    docker compose up -d

Open ${lab.lab.composeProxy ? 'http://localhost:8080 (n8n through the proxy)' : 'http://localhost:5678'}, create the owner account, then Settings > n8n API > create an API key${expiry}
and save it in a file \`api-key\` (mode 600).${lab.lab.composeWorkflow ? SETUP_STEP : ''}
${providers}${caller}
## The symptom

${symptomSection(lab)}
## Fix it

${editSteps(lab)}

## Hints (read one at a time)

${hintLadder(lab, PLACEHOLDERS, { byHand: true })
  .map((h, i) => `${i + 1}. ${h}`)
  .join('\n')}

## Clean up

    docker compose down -v
`;
}
