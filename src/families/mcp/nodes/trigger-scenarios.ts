import type { Exchange } from '../../../parts/client/exchange.ts';
import type { StackSpec } from '../../../parts/stack/stack-spec.ts';
import { defineScenario } from '../../../core/define.ts';
import { registerSecret } from '../../../base/secrets.ts';
import { check, prerequisite, wrongKeyOf } from '../../../core/probes.ts';
import type { AnyScenario, Check, DoctorExpectation, Remedy, ScenarioContext, ScenarioInfo } from '../../../core/types.ts';
import type { DoctorInput } from '../../../parts/diagnosis/doctor.ts';
import { isActive } from '../../webhooks/hooks.ts';
import {
  activateTrigger,
  attachCredential,
  createTrigger,
  rightHeaders,
  sdkCall,
  type Trigger,
  TRIGGER_HEADER,
  TRIGGER_TOOL,
  triggerUrl,
  type TriggerAuth,
} from './trigger.ts';

/** One n8n and the SDK MCP server (a mock provider): every MCP node scenario shares it. */
export const MCP_NODES_STACK: StackSpec = { name: 'mcp-nodes', providers: ['mcp-server'] };

/** What the phases share: the trigger as deployed and what n8n answered while setting it up. */
export interface TriggerState {
  trigger: Trigger;
  setup: Exchange[];
}

/** A call of the SDK client: its label and the headers its config gives. */
interface SdkCallOf {
  label: string;
  headers: (t: Trigger) => Array<[string, string]>;
  /** What the call's headers are, checked against the credential before anything is sent (the fault when it is in the request). */
  proves?: { what: string; test: (headers: Array<[string, string]>, t: Trigger) => boolean };
}

/** A trigger scenario: defineScenario's fields (its id in full) and the trigger's authentication, whether its node has a credential, the SDK's calls while broken. */
export type TriggerCase = Omit<ScenarioInfo, 'stack' | 'proveFromRequest' | 'doctorBlind'> & {
  auth: TriggerAuth;
  /** What `authlab doctor --mcp-url <the trigger's URL>` with the client's token names while broken. */
  doctorNames: DoctorExpectation['names'];
  /** The node asks for `auth` and names no credential (activation attempted); the fix attaches one. */
  noCredential?: true;
  symptom: SdkCallOf;
};

const pathOf = (id: string) => `authlab-${id.slice('mcp.'.length)}`;

async function deploy(ctx: ScenarioContext, c: TriggerCase): Promise<{ proof: Check[]; state: TriggerState }> {
  const trigger = await createTrigger(ctx, c.auth, pathOf(c.id), !c.noCredential);
  const { activation, served } = await activateTrigger(ctx, trigger);
  const { active, evidence } = await isActive(ctx, trigger.id);
  const body = activation.response?.body ?? '';
  const proof: Check[] = [
    prerequisite(
      'n8n has the MCP Server Trigger node',
      !/unrecognized node type|unknown node type/i.test(body),
      `${activation.label}: ${activation.response?.status} ${body.slice(0, 160)}`,
    ),
  ];
  if (c.noCredential) {
    proof.push(
      check(
        `the MCP Server Trigger asks for ${c.auth} and names no credential`,
        trigger.credentialId === undefined,
        `created with no credentials; ${evidence}; ${served}`,
      ),
    );
  } else {
    proof.push(check('the MCP Server Trigger workflow is active and its path served', active && served.startsWith('served'), `${evidence}; ${served}`));
    const headers = c.symptom.headers(trigger);
    const proves = c.symptom.proves;
    if (proves) proof.push(check(proves.what, proves.test(headers, trigger), headers.map(([k]) => k).join(', ') || 'no header'));
  }
  return { proof, state: { trigger, setup: [activation] } };
}

/** The SDK client with the headers the credential names: it lists the trigger's tools. */
const rightCall = (ctx: ScenarioContext, t: Trigger) => sdkCall(ctx, t, 'the SDK client with the credential’s value', rightHeaders(t));

/** The fix holds when the SDK listed the tool connected to the trigger. */
const listedTheTool = (exchanges: Exchange[]): Check[] => {
  const listed = exchanges.find((e) => !e.context)?.response?.body ?? '';
  return [
    check(
      `the SDK listed the trigger's ${TRIGGER_TOOL} tool`,
      // The tool's name is the node's name on newer n8n (Calculator), lower-cased on 1.110.1 (calculator).
      listed.includes('tools/list:') && listed.toLowerCase().includes(TRIGGER_TOOL.toLowerCase()),
      listed.slice(0, 120) || 'nothing listed',
    ),
  ];
};

/** The doctor given the trigger's URL and what the client sends (its one auth header; none: the header its auth names, empty). */
function doctorMcpInput(ctx: ScenarioContext, t: Trigger, headers: Array<[string, string]>): Partial<DoctorInput> {
  const [name, value] = headers[0] ?? [t.auth === 'headerAuth' ? TRIGGER_HEADER : 'Authorization', ''];
  return { mcp: { url: triggerUrl(ctx, t), token: value, ...(name.toLowerCase() === 'authorization' ? {} : { header: name }) } };
}

/** An MCP Server Trigger scenario: one deploy, the SDK client's call while broken, the fix. */
export function triggerScenario(c: TriggerCase): AnyScenario {
  const { auth, noCredential, symptom, doctorNames, ...info } = c;
  const sendRight: Remedy<TriggerState> = noCredential
    ? {
        name: `attach a ${auth === 'bearerAuth' ? 'Bearer' : 'Header'} Auth credential to the trigger and activate again`,
        source: 'correct',
        apply: async (ctx, { trigger }) => {
          const { put, activation, served } = await attachCredential(ctx, trigger);
          return [
            check('the trigger names the new credential', put === 200, `PUT /api/v1/workflows/${trigger.id}: ${put}`),
            check(
              'n8n activated the workflow and serves its path',
              activation.response?.status === 200 && served.startsWith('served'),
              `${activation.response?.status}; ${served}`,
            ),
          ];
        },
        probe: (ctx, { trigger }) => rightCall(ctx, trigger),
        verify: listedTheTool,
      }
    : { name: info.guide.fix, source: 'correct', probe: (ctx, { trigger }) => rightCall(ctx, trigger), verify: listedTheTool };
  return defineScenario<TriggerState>({
    ...info,
    stack: MCP_NODES_STACK,
    fault: (ctx) => deploy(ctx, c),
    symptom: async (ctx, state) => [...state.setup, ...(await sdkCall(ctx, state.trigger, symptom.label, symptom.headers(state.trigger)))],
    remedies: [sendRight],
    doctor: {
      names: doctorNames,
      input: (ctx, phase, { trigger }) => doctorMcpInput(ctx, trigger, phase === 'broken' ? symptom.headers(trigger) : rightHeaders(trigger)),
    },
  });
}

/** A value one character off the credential's, masked in the evidence like the value itself. */
const wrongValueOf = (secret: string): string => registerSecret(wrongKeyOf(secret), 'secret');

const hasHeader = (headers: Array<[string, string]>, name: string) => headers.some(([k]) => k.toLowerCase() === name.toLowerCase());
const headerValueOf = (headers: Array<[string, string]>, name: string) => headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

const BEARER_FIX = "put the credential's token in the client's Authorization: Bearer header";
const WRONG_AUTH = 'Authorization data is wrong!';

export const triggerScenarios: AnyScenario[] = [
  triggerScenario({
    id: 'mcp.trigger-bearer-missing',
    refusalKeepsOut: 'an MCP client without a token',
    title: 'an MCP Server Trigger with Bearer Auth refuses an MCP client that sends no token with 403 "Authorization data is wrong!"',
    guide: {
      section: 'not in the guide',
      claim: 'n8n: an MCP Server Trigger with Bearer Auth answers a client without a token 403 "Authorization data is wrong!"',
      fix: BEARER_FIX,
    },
    predicts: { outcome: 'forbidden', says: WRONG_AUTH },
    auth: 'bearerAuth',
    doctorNames: 'mcp-token-missing',
    symptom: {
      label: 'the SDK client with no Authorization header',
      headers: () => [],
      proves: { what: 'the client sends no Authorization header', test: (h) => !hasHeader(h, 'authorization') },
    },
  }),
  triggerScenario({
    id: 'mcp.trigger-bearer-wrong',
    refusalKeepsOut: 'an MCP client with a wrong token',
    title: 'an MCP Server Trigger with Bearer Auth refuses a wrong token with 403 "Authorization data is wrong!"',
    guide: {
      section: 'not in the guide',
      claim: 'n8n: an MCP Server Trigger with Bearer Auth answers a wrong token 403 "Authorization data is wrong!"',
      fix: BEARER_FIX,
    },
    predicts: { outcome: 'forbidden', says: WRONG_AUTH },
    auth: 'bearerAuth',
    doctorNames: 'mcp-trigger-auth-refused',
    symptom: {
      label: 'the SDK client with a wrong Bearer token',
      headers: (t) => [['Authorization', `Bearer ${wrongValueOf(t.secret)}`]],
      proves: {
        what: "the client's Bearer token differs from the credential's",
        test: (h, t) => headerValueOf(h, 'authorization')?.startsWith('Bearer ') === true && headerValueOf(h, 'authorization') !== `Bearer ${t.secret}`,
      },
    },
  }),
  triggerScenario({
    id: 'mcp.trigger-header-missing',
    refusalKeepsOut: 'an MCP client without the header',
    title: `an MCP Server Trigger with Header Auth refuses an MCP client that sends no ${TRIGGER_HEADER} with 403 "Authorization data is wrong!"`,
    guide: {
      section: 'not in the guide',
      claim: `n8n: an MCP Server Trigger with Header Auth answers a client without its header 403 "Authorization data is wrong!"`,
      fix: `send ${TRIGGER_HEADER} with the credential's exact value`,
    },
    predicts: { outcome: 'forbidden', says: WRONG_AUTH },
    auth: 'headerAuth',
    doctorNames: 'mcp-token-missing',
    symptom: {
      label: `the SDK client with no ${TRIGGER_HEADER} header`,
      headers: () => [],
      proves: { what: `the client sends no ${TRIGGER_HEADER} header`, test: (h) => !hasHeader(h, TRIGGER_HEADER) },
    },
  }),
  triggerScenario({
    id: 'mcp.trigger-header-wrong',
    refusalKeepsOut: 'an MCP client with a wrong header value',
    title: 'an MCP Server Trigger with Header Auth refuses a wrong header value with 403 "Authorization data is wrong!"',
    guide: {
      section: 'not in the guide',
      claim: 'n8n: an MCP Server Trigger with Header Auth answers a wrong header value 403 "Authorization data is wrong!"',
      fix: `send ${TRIGGER_HEADER} with the credential's exact value`,
    },
    predicts: { outcome: 'forbidden', says: WRONG_AUTH },
    auth: 'headerAuth',
    doctorNames: 'mcp-trigger-auth-refused',
    symptom: {
      label: `the SDK client with a wrong ${TRIGGER_HEADER} value`,
      headers: (t) => [[TRIGGER_HEADER, wrongValueOf(t.secret)]],
      proves: {
        what: `the client's ${TRIGGER_HEADER} differs from the credential's value`,
        test: (h, t) => hasHeader(h, TRIGGER_HEADER) && headerValueOf(h, TRIGGER_HEADER) !== t.secret,
      },
    },
  }),
  triggerScenario({
    id: 'mcp.trigger-no-credential',
    title: 'an MCP Server Trigger set to Bearer Auth with no credential answers 500 "No authentication data defined on node!"',
    guide: {
      section: 'not in the guide',
      claim: 'n8n: an MCP Server Trigger set to Bearer Auth with no credential attached answers 500 "No authentication data defined on node!"',
      fix: 'attach a Bearer Auth credential to the trigger and activate again',
    },
    predicts: { outcome: 'other', says: 'No authentication data defined on node!' },
    auth: 'bearerAuth',
    // 2.x refuses to activate a trigger with no credential: its URL is then not registered (404).
    doctorNames: {
      among: ['mcp-trigger-auth-unconfigured', 'webhook-not-registered'],
      decide: (symptom) => (symptom.some((e) => e.response?.status === 500) ? 'mcp-trigger-auth-unconfigured' : 'webhook-not-registered'),
    },
    noCredential: true,
    symptom: { label: 'the SDK client with a Bearer token, no credential on the node', headers: (t) => rightHeaders(t) },
  }),
];
