import { INJECTED_KEY_PLACEHOLDER } from '../families/proxy/support.ts';
import { edits } from '../proxy/nginx-config.ts';
import { nginxSite } from '../proxy/site-config.ts';
import { scenarios, type CatalogueScenario } from '../scenarios/catalogue.ts';

/** Where a lab's fault lives, and so what the learner edits and how the edit goes live. */
export type LabKind = 'proxy-config' | 'env' | 'credential' | 'clock';

/**
 * What the symptom request is: the API with the lab's key (`passes`: the broken stack lets it
 * through where it must not, else it refuses it), or the workflow the scenario deployed (its webhook).
 */
export type LabSymptom =
  | {
      api: {
        path?: string;
        key: 'valid' | 'none';
        cookieBytes?: number;
        passes?: true /** The key the proxy injects was rotated out in n8n. */;
        injectedKeyRotated?: true;
      };
    }
  | { workflow: true };

interface LabBase {
  kind: LabKind;
  symptom: LabSymptom;
  /** The remedy, by name, whose probes `--check` runs; default the one the catalogue verified. */
  fix?: string;
  /** Why its compose export cannot show the symptom (said in the export's README); absent: the export shows it. */
  composeCannot?: string;
  /** What else a learner of the compose export must know to see the symptom (in its README). */
  composeNote?: string;
}

export type LabDef =
  | (LabBase & { kind: 'proxy-config'; proxy: 'nginx' | 'caddy'; faultyConfig: () => Promise<string> })
  | (LabBase & {
      kind: 'env';
      /** The env the compose export's .env holds from the start (the fault). */
      composeEnv?: Record<string, string>;
      /** The env the learner adds to .env after creating the key, then `docker compose up -d` (a fault that needs a key from before). */
      composeThen?: Record<string, string>;
    })
  | (LabBase & { kind: 'credential' | 'clock' });

export type Lab = Omit<CatalogueScenario, 'lab'> & { lab: LabDef };

const API: LabSymptom = { api: { key: 'valid' } };
const WORKFLOW: LabSymptom = { workflow: true };

const NEEDS_WORKFLOW =
  'the symptom is a workflow run: it needs a credential, a workflow that uses it and the mock API it calls (authlab provider images), which this project does not hold';
const NEEDS_FAKETIME =
  "n8n's clock running ahead is played by libfaketime in authlab's own image layer (authlab/n8n:<version>-faketime); the official image cannot run n8n on another clock than the host's";

// --- one factory per kind ------------------------------------------------------------------------

/** A proxy scenario whose lab the family declared (its faulty site config); the symptom is the API through the proxy. */
function proxyConfigLab(s: CatalogueScenario, more: Partial<LabBase> = {}): Lab {
  const spec = s.lab!;
  return { ...s, lab: { kind: 'proxy-config', proxy: spec.proxy, faultyConfig: spec.faultyConfig, symptom: API, ...more } };
}

/** A proxy lab whose symptom is a workflow calling its own n8n through NGINX. */
const nodeProxyLab = (s: CatalogueScenario, faultyConfig: () => Promise<string>, fix: string): Lab => ({
  ...s,
  lab: { kind: 'proxy-config', proxy: 'nginx', faultyConfig, symptom: WORKFLOW, fix, composeCannot: NEEDS_WORKFLOW },
});

const envLab = (
  s: CatalogueScenario,
  more: Partial<Omit<LabBase, 'kind'>> & { composeEnv?: Record<string, string>; composeThen?: Record<string, string> },
): Lab => ({
  ...s,
  lab: { kind: 'env', symptom: API, ...more },
});

const credentialLab = (s: CatalogueScenario, fix?: string): Lab => ({
  ...s,
  lab: { kind: 'credential', symptom: WORKFLOW, fix, composeCannot: NEEDS_WORKFLOW },
});

const clockLab = (s: CatalogueScenario, symptom: LabSymptom): Lab => ({ ...s, lab: { kind: 'clock', symptom, composeCannot: NEEDS_FAKETIME } });

// --- the labs, as data -------------------------------------------------------------------------

const PUT_KEY = `Put an API key of yours in place of ${INJECTED_KEY_PLACEHOLDER} in the proxy's config, then reload the proxy`;

/** Per-lab settings of proxy labs the family declared, where the symptom is not the plain key through the proxy. */
const PROXY_LABS: Record<string, Partial<Omit<LabBase, 'kind'>>> = {
  'proxy.static-key-injected': { symptom: { api: { key: 'none', passes: true } }, composeNote: PUT_KEY },
  'proxy.caddy-static-key-injected': { symptom: { api: { key: 'none', passes: true } }, composeNote: PUT_KEY },
  'proxy.static-key-rotation': {
    symptom: { api: { key: 'valid', injectedKeyRotated: true } },
    composeNote: `${PUT_KEY.replace('an API key of yours', 'a second API key')}; then delete that second key in Settings > n8n API (a rotation)`,
  },
  'proxy.path-prefix': { symptom: { api: { key: 'valid', path: '/n8n/api/v1/workflows' } } },
  'proxy.header-too-large': { symptom: { api: { key: 'valid', cookieBytes: 2048 } } },
};

type Entry = (s: CatalogueScenario) => Lab;

const ENTRIES: Record<string, Entry> = {
  'n8n-node.public-url-proxy-drops-key': (s) =>
    nodeProxyLab(s, () => nginxSite('guide-example', edits.blankKeyHeader).render(), 'the public URL again, the blanking line removed from NGINX'),
  'n8n-node.public-url-proxy-injects-rotated-key': (s) =>
    nodeProxyLab(
      s,
      () => nginxSite('guide-example', edits.staticKey(INJECTED_KEY_PLACEHOLDER)).render(),
      'the public URL again, NGINX forwarding the original header instead of the static one',
    ),
  'endpoints.public-api-disabled': (s) =>
    envLab(s, {
      composeEnv: { N8N_PUBLIC_API_DISABLED: 'true' },
      composeNote:
        'While it is broken, n8n offers no API key to create (creating one answers 404) and refuses every request to /api/v1: put any text in api-key to see it',
    }),
  'secrets.jwt-secret-changed': (s) =>
    envLab(s, {
      composeThen: { N8N_USER_MANAGEMENT_JWT_SECRET: 'c41f9e0b7d2a4e6f8a13b5d9e7f02c68' },
      composeNote: 'The symptom needs a key issued before the change: after creating it, add the line below to .env, then docker compose up -d',
    }),
  'proxy.forwarded-for-without-proxy-hops': (s) =>
    envLab(s, {
      composeCannot:
        "nothing answers wrong: the symptom is a line in n8n's log after n8n's first login through a proxy that sets X-Forwarded-For, and this export holds n8n alone (its lab runs the proxy: authlab lab proxy.forwarded-for-without-proxy-hops)",
    }),
  'external.key-with-zwsp': (s) => credentialLab(s),
  'external.key-with-nbsp': (s) => credentialLab(s),
  'external.key-with-bom': (s) => credentialLab(s),
  'external.key-with-trailing-newline': (s) => credentialLab(s),
  'external.header-auth-without-bearer': (s) => credentialLab(s),
  'webhooks.header-auth-credential-trailing-newline': (s) => credentialLab(s),
  'n8n-node.base-url-without-api-v1': (s) => credentialLab(s),
  'n8n-node.localhost-base-url': (s) => credentialLab(s),
  'clock.expiry-judged-by-fast-clock': (s) => clockLab(s, API),
  'clock.third-party-jwt': (s) => clockLab(s, WORKFLOW),
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
