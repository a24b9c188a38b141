import type { CatalogueScenario } from '../../families/registry.ts';
import type { SecretSource } from '../../families/external/support.ts';
import type { ProviderName } from '../../parts/providers/catalog.ts';
import type { CredentialWorkflow } from '../../core/workflows.ts';
import type { BrokenScenario, Check, ScenarioContext } from '../../core/types.ts';
import type { LabState } from './lab-state.ts';

/** The names a hint may use: the running lab's (its URLs, containers, files), or placeholders where none runs. */
export type HintNames = Partial<LabState>;

/** What a lab is: where its fault lives, its symptom, what its compose export needs (the catalogue's labs are in lab-catalogue.ts). */

/**
 * Where a lab's fault lives, and so what the learner edits and how the edit goes live: `setting`, a
 * setting of n8n's editor (Settings > MCP Access); `client`, what a client sends, in a file it reads
 * on each call (an MCP client's or a form visitor's Authorization, a member's two-factor code).
 */
export type LabKind = 'proxy-config' | 'env' | 'credential' | 'clock' | 'setting' | 'client';

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
  | { workflow: true /** The key the proxy injects was rotated out in n8n. */; injectedKeyRotated?: true }
  /** An MCP client's request (initialize) with the Authorization value in the lab's token file, to the URL the doctor is handed. */
  | { mcp: true; injectedKeyRotated?: undefined }
  /**
   * A webhook called from a client with an address of its own on the stack network (a Node.js
   * process in a container: `listed`, the tap's, whose address the allowlist holds; `other`, n8n's
   * own), through the lab's proxy; `forged`: with an X-Forwarded-For naming the listed address.
   */
  | { webhookFrom: { client: 'listed' | 'other'; forged?: true }; injectedKeyRotated?: undefined }
  /** A Form or Chat Trigger visited with the Authorization in the lab's visitor file (a form's page, a chat's message). */
  | { trigger: 'form' | 'chat'; injectedKeyRotated?: undefined }
  /** A member's two-factor sign-in with the code from a file: the authenticator's, renewed as it shows them, or the one the member typed. */
  | { signIn: 'authenticator' | 'typed'; injectedKeyRotated?: undefined }
  /** The link to n8n's signup page in the newest mail n8n sent (an invitation), opened from the invitee's machine on the stack network. */
  | { mailedLink: '/signup'; injectedKeyRotated?: undefined };

export interface LabBase {
  kind: LabKind;
  symptom: LabSymptom;
  /** The remedy, by name, whose probes `--check` runs; default the one the catalogue verified. */
  fix?: string;
  /** Why `--check` starts n8n again (over its data, not signed in to) before its probes: the symptom shows once per n8n process. */
  checkOnFreshN8n?: string;
  /** What to read of what runs where the kind's usual would not show the fault (n8n stopped by it: given n8n's stopped container). */
  hintRunning?: (n8nContainer: string, s: HintNames) => string;
  /** What else a learner of the compose export must know to see the symptom (in its README). */
  composeNote?: string;
  /** The env the compose export's .env holds from the start (the fault). */
  composeEnv?: Record<string, string>;
  /** The env the learner adds to .env after creating the key, then `docker compose up -d` (a fault that needs a key from before). */
  composeThen?: Record<string, string>;
  /** The expiry of the key the compose export's learner creates, in days (n8n's editor offers 7, 30, 60, 90). */
  composeKeyExpiresInDays?: number;
  /** A proxy the compose export runs in front of n8n where the fault is not in it (the learner goes through it). */
  composeProxy?: { proxy: 'nginx'; config: () => Promise<string> };
  /** Where the compose export's symptom is a line in n8n's log, not an answer: what that line holds. */
  composeLogSymptom?: string;
  /** Where the fault stops n8n in the compose export (its container exits, nothing answers): the line its log holds. */
  composeStops?: string;
  /** The env the verified fix adds to .env (the compose suite applies it as the learner would). */
  composeFixEnv?: Record<string, string>;
  /** What the compose export sets up in its n8n once the learner has a key (`docker compose run --rm setup`): the mock APIs it runs, the credential and the workflow. */
  composeWorkflow?: ComposeWorkflow;
  /** Why the lab has no compose export (`--compose` refuses it in one line with this). */
  composeRefused?: string;
  /** A secret the learner is handed in a file (mode 600): what it is, and its value from the running stack. */
  given?: { file: string; what: string; value: (ctx: ScenarioContext, broken: BrokenScenario) => string };
  /**
   * What n8n does anew after `--apply` and before `--check`'s probes, with its proof: the owner
   * invites another member, so that the link judged is one n8n mails as it runs now.
   */
  renew?: { what: string; run: (ctx: ScenarioContext, broken: BrokenScenario) => Promise<Check[]> };
  /** What `--reset` undoes of the last fault before applying it again (a trigger's workflow, whose fixed path a second one cannot take). */
  beforeReset?: (ctx: ScenarioContext, broken: BrokenScenario) => Promise<void>;
  /** The first hint where the kind's would send the learner the wrong way (names in the state: its URLs and files). */
  hintWhere?: (s: HintNames) => string;
  /** The doctor's rung where the kind's command would not reach the fault (the public name an AI client is given, say). */
  hintDoctor?: (s: HintNames) => string;
}

/** A credential and a workflow built in code on it (given the credential's id and the webhook's path), not read from a fixture. */
export interface BuiltCredentialWorkflow {
  credential: CredentialWorkflow['credential'];
  build: (at: { credentialId: string; webhookPath: string }) => Record<string, unknown>;
}

/** A compose export's workflow: the mock APIs the workflow calls (their secrets generated by the export) and the credential and workflow. */
export interface ComposeWorkflow {
  providers: ProviderName[];
  workflow: (secrets: SecretSource) => CredentialWorkflow | BuiltCredentialWorkflow;
  /** Where the workflow's webhook checks a credential itself: the header its caller sends, with the value in `secrets` under CALLER_SECRET (the export's caller file). */
  caller?: { header: string };
}

/** The name, among a compose export's generated secrets, of the value a webhook's caller was given. */
export const CALLER_SECRET = 'CALLER_VALUE';

/** Where the compose export's credential holds the learner's own n8n API key: setup puts the key in its place. */
export const LEARNER_KEY_PLACEHOLDER = 'THE-LEARNER-API-KEY';

export type LabDef =
  | (LabBase & { kind: 'proxy-config'; proxy: 'nginx' | 'caddy'; faultyConfig: () => Promise<string> })
  | (LabBase & { kind: 'env' | 'credential' | 'clock' | 'setting' | 'client' });

export type Lab = Omit<CatalogueScenario, 'lab'> & { lab: LabDef };

/** A lab made from its scenario. */
export type Entry = (s: CatalogueScenario) => Lab;
