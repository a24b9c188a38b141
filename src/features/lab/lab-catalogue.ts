import { jwtAppWorkflow } from '../../families/clock.ts';
import { FAULTY_CALLS } from '../../families/external/stray-characters.ts';
import { callWorkflow, secretOf } from '../../families/external/support.ts';
import { BASE_URLS, nodeCallWorkflow } from '../../families/n8n-node/support.ts';
import { pastedWithNewline } from '../../families/webhooks/header-basic.ts';
import { credentialData, HOOK_HEADER, hookCredential, newSecrets, webhookWorkflow } from '../../families/webhooks/hooks.ts';
import { INJECTED_KEY_PLACEHOLDER } from '../../families/proxy/support.ts';
import { edits } from '../../parts/proxy/nginx-config.ts';
import { nginxSite } from '../../parts/proxy/site-config.ts';
import { N8N_DATA_DIR } from '../../parts/stack/n8n-settings.ts';
import { scenarios, type CatalogueScenario } from '../../families/registry.ts';
import { CLIENT_LABS } from './client-labs.ts';
import { MAIL_LABS } from './mail-labs.ts';
import { MCP_LABS } from './mcp-labs.ts';
import { CALLER_SECRET, type ComposeWorkflow, type Entry, LEARNER_KEY_PLACEHOLDER, type Lab, type LabBase, type LabSymptom } from './lab-def.ts';

export { CALLER_SECRET, LEARNER_KEY_PLACEHOLDER } from './lab-def.ts';
export type { BuiltCredentialWorkflow, ComposeWorkflow, Entry, HintNames, Lab, LabBase, LabDef, LabKind, LabSymptom } from './lab-def.ts';

const API: LabSymptom = { api: { key: 'valid' } };
const WORKFLOW: LabSymptom = { workflow: true };

/** The compose workflow of a scenario whose fault is a call deployed (the external family). */
const faultyCall = (id: string): ComposeWorkflow => {
  const faulty = FAULTY_CALLS[id];
  if (!faulty) throw new Error(`no faulty call for ${id}`);
  return { providers: [faulty.provider], workflow: (secrets) => callWorkflow(faulty.call(secrets)) };
};

/** The n8n node listing workflows through a credential with the learner's key and this Base URL. */
const nodeCall = (baseUrl: string): ComposeWorkflow => ({
  providers: [],
  workflow: () => nodeCallWorkflow({ resource: 'workflow', baseUrl, apiKey: LEARNER_KEY_PLACEHOLDER }),
});

/** The webhooks family's Header Auth webhook, its credential's value stored as `stored` makes it; the caller sends the value it was given. */
const headerAuthHook = (stored: (value: string) => string): ComposeWorkflow => ({
  providers: [],
  caller: { header: HOOK_HEADER },
  workflow: (secrets) => {
    const value = secretOf(secrets, CALLER_SECRET);
    return {
      credential: hookCredential('headerAuth', credentialData('headerAuth', { ...newSecrets(), headerValue: value }, stored(value))),
      build: ({ credentialId, webhookPath }) => webhookWorkflow(webhookPath, 'headerAuth', credentialId),
    };
  },
});

// --- one factory per kind ------------------------------------------------------------------------

/** A proxy scenario whose lab the family declared (its faulty site config); the symptom is the API through the proxy. */
function proxyConfigLab(s: CatalogueScenario, more: Partial<LabBase> = {}): Lab {
  const spec = s.lab!;
  return { ...s, lab: { kind: 'proxy-config', proxy: spec.proxy, faultyConfig: spec.faultyConfig, symptom: API, ...more } };
}

/** A proxy lab whose symptom is a workflow calling its own n8n through NGINX. */
const nodeProxyLab = (s: CatalogueScenario, faultyConfig: () => Promise<string>, fix: string, more: Partial<Omit<LabBase, 'kind'>> = {}): Lab => ({
  ...s,
  lab: { kind: 'proxy-config', proxy: 'nginx', faultyConfig, symptom: WORKFLOW, fix, composeWorkflow: nodeCall(BASE_URLS.publicUrl), ...more },
});

const envLab = (s: CatalogueScenario, more: Partial<Omit<LabBase, 'kind'>>): Lab => ({
  ...s,
  lab: { kind: 'env', symptom: API, ...more },
});

/** A credential lab: the compose export sets up the same credential and workflow. */
const credentialLab = (s: CatalogueScenario, compose: ComposeWorkflow, more: Partial<Omit<LabBase, 'kind'>> = {}): Lab => ({
  ...s,
  lab: { kind: 'credential', symptom: WORKFLOW, composeWorkflow: compose, ...more },
});

/** A pasted key: some n8n versions clean the value before they send it. */
const strayLab = (s: CatalogueScenario) =>
  credentialLab(s, faultyCall(s.id), {
    composeNote:
      'If the workflow succeeds, this n8n version cleans the pasted value before it sends it: run one the symptom shows on (N8N_IMAGE; the versions are at the top of this file)',
  });

/** A clock lab: its compose export runs n8n from the libfaketime image, FAKETIME in .env. */
const clockLab = (s: CatalogueScenario, symptom: LabSymptom, compose: Partial<Omit<LabBase, 'kind'>>): Lab => ({
  ...s,
  lab: { kind: 'clock', symptom, ...compose },
});

// --- the labs, as data -------------------------------------------------------------------------

const PUT_KEY = `Put an API key of yours in place of ${INJECTED_KEY_PLACEHOLDER} in the proxy's config, then reload the proxy`;
const ROTATE_KEY = `${PUT_KEY.replace('an API key of yours', 'a second API key')}; then delete that second key in Settings > n8n API (a rotation)`;

/** Per-lab settings of proxy labs the family declared, where the symptom is not the plain key through the proxy. */
const PROXY_LABS: Record<string, Partial<Omit<LabBase, 'kind'>>> = {
  'proxy.static-key-injected': { symptom: { api: { key: 'none', passes: true } }, composeNote: PUT_KEY },
  'proxy.caddy-static-key-injected': { symptom: { api: { key: 'none', passes: true } }, composeNote: PUT_KEY },
  'proxy.static-key-rotation': { symptom: { api: { key: 'valid', injectedKeyRotated: true } }, composeNote: ROTATE_KEY },
  'proxy.path-prefix': { symptom: { api: { key: 'valid', path: '/n8n/api/v1/workflows' } } },
  'proxy.header-too-large': { symptom: { api: { key: 'valid', cookieBytes: 2048 } } },
};

const ENTRIES: Record<string, Entry> = {
  'n8n-node.public-url-proxy-drops-key': (s) =>
    nodeProxyLab(s, () => nginxSite('guide-example', edits.blankKeyHeader).render(), 'the public URL again, the blanking line removed from NGINX'),
  'n8n-node.public-url-proxy-injects-rotated-key': (s) =>
    nodeProxyLab(
      s,
      () => nginxSite('guide-example', edits.staticKey(INJECTED_KEY_PLACEHOLDER)).render(),
      'the public URL again, NGINX forwarding the original header instead of the static one',
      { symptom: { workflow: true, injectedKeyRotated: true }, composeNote: ROTATE_KEY },
    ),
  'endpoints.public-api-disabled': (s) =>
    envLab(s, {
      composeEnv: { N8N_PUBLIC_API_DISABLED: 'true' },
      composeNote:
        'While it is broken, n8n offers no API key to create (creating one answers 404) and refuses every request to /api/v1: put any text in api-key to see it',
    }),
  'secrets.key-mismatch-refuses-start': (s) =>
    envLab(s, {
      hintRunning: (n8n) =>
        `what n8n said before it stopped (docker logs ${n8n}) and the settings file it keeps in its data folder, which docker cp reads from a stopped container too (docker cp ${n8n}:${N8N_DATA_DIR}/config n8n-config; cat n8n-config)`,
      composeThen: { N8N_ENCRYPTION_KEY: '5d0c3b8e1f7a42c69e04b7d18a3f6c2e90b5d7a1e4c8f3b6' },
      composeStops: 'Mismatching encryption keys',
      composeNote:
        'The symptom needs data n8n wrote with its first key: after creating your API key, put the line below in .env in place of its N8N_ENCRYPTION_KEY line (as a rebuild with another key does; do not keep the old one), then docker compose up -d',
    }),
  'secrets.jwt-secret-changed': (s) =>
    envLab(s, {
      composeThen: { N8N_USER_MANAGEMENT_JWT_SECRET: 'c41f9e0b7d2a4e6f8a13b5d9e7f02c68' },
      composeNote: 'The symptom needs a key issued before the change: after creating it, add the line below to .env, then docker compose up -d',
    }),
  'proxy.forwarded-for-without-proxy-hops': (s) =>
    envLab(s, {
      checkOnFreshN8n:
        'n8n logs the X-Forwarded-For error on the first login it rate-limits, once per process: a process that was signed in to directly, or already logged it, says nothing either way',
      composeProxy: { proxy: 'nginx', config: () => nginxSite('guide-example', edits.forwardedFor).render() },
      composeLogSymptom: 'ERR_ERL_UNEXPECTED_X_FORWARDED_FOR',
      composeFixEnv: { N8N_PROXY_HOPS: '1' },
    }),
  'external.key-with-zwsp': strayLab,
  'external.key-with-nbsp': strayLab,
  'external.key-with-bom': strayLab,
  'external.key-with-trailing-newline': strayLab,
  'external.header-auth-without-bearer': (s) => credentialLab(s, faultyCall(s.id)),
  'webhooks.header-auth-credential-trailing-newline': (s) => credentialLab(s, headerAuthHook(pastedWithNewline)),
  'n8n-node.base-url-without-api-v1': (s) => credentialLab(s, nodeCall(BASE_URLS.serviceNameWithoutApi)),
  // Not n8n-node.localhost-base-url: in n8n's own container localhost:5678 is n8n, the execution succeeds on every version run (docs/versions/ledger.json).
  // n8n's editor offers a key that expires in 7 days at the shortest: n8n's clock 8 days ahead judges it expired.
  'clock.expiry-judged-by-fast-clock': (s) =>
    clockLab(s, API, {
      composeKeyExpiresInDays: 7,
      composeThen: { FAKETIME: '+8d' },
      composeNote:
        "The key must be issued before n8n's clock moves: after creating it (expiring in 7 days), add the line below to .env, then docker compose up -d",
    }),
  'clock.third-party-jwt': (s) =>
    clockLab(s, WORKFLOW, {
      composeEnv: { FAKETIME: '+7m' },
      composeWorkflow: { providers: ['jwt-app'], workflow: (c) => jwtAppWorkflow(secretOf(c, 'JWT_APP_SECRET')) },
    }),
  ...MCP_LABS,
  ...CLIENT_LABS,
  ...MAIL_LABS,
};

/** Every lab: the proxy scenarios that declare one, then the entries above, in catalogue order. */
export function allLabs(): Lab[] {
  return scenarios.flatMap((s): Lab[] => {
    if (s.lab) return [proxyConfigLab(s, PROXY_LABS[s.id])];
    const entry = ENTRIES[s.id];
    return entry ? [entry(s)] : [];
  });
}

/** Lab ids the entries name that the catalogue does not hold (a renamed scenario): a unit test keeps this empty. */
export function unknownLabEntries(): string[] {
  return Object.keys(ENTRIES).filter((id) => !scenarios.some((s) => s.id === id));
}
