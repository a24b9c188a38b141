import { outcomeOf, record, type Exchange } from '../../parts/client/exchange.ts';
import { saveCredential, testCredential, type StoredCredential } from '../../core/credentials.ts';
import type { DoctorExpectation, Remedy, ScenarioContext } from '../../core/types.ts';
import { type CredentialWorkflow, deployCredentialWorkflow, lastExecution, triggerWebhook, type WebhookWorkflow } from '../../core/workflows.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';

/**
 * One n8n with NGINX in front (its public URL, as the n8n node may be pointed at it) and the tap
 * between them: the tap takes n8n's service name (`n8n`), so every request that reaches n8n by
 * that name or through NGINX is recorded with its exact path and headers.
 */
export const N8N_NODE_STACK: StackSpec = { name: 'n8n-node', proxies: ['nginx'] };

/** Base URLs users give the "n8n API" credential, as n8n's container resolves them on the stack network. */
export const BASE_URLS = {
  /** The compose service name, as the guide (section B) and n8n's placeholder (`.../api/v1`) say. */
  serviceName: 'http://n8n:5678/api/v1',
  /** The same without /api/v1: the instance's address, as users type it. */
  serviceNameWithoutApi: 'http://n8n:5678',
  /** n8n's own loopback: inside n8n's container, n8n itself. */
  localhost: 'http://localhost:5678/api/v1',
  /** The instance's public URL: NGINX (https://n8n.example.com/api/v1 in a deployment). */
  publicUrl: 'http://nginx/api/v1',
} as const;

/** What the n8n node is set up to do: list one resource through a credential with this key and Base URL. */
export interface NodeCall {
  resource: 'workflow' | 'execution';
  baseUrl: string;
  apiKey: string;
}

/** A deployed n8n-node workflow and the call its credential holds now (a fix may edit it). */
export interface NodeState {
  credentialId: string;
  workflow: WebhookWorkflow;
  call: NodeCall;
}

const CREDENTIAL_NAME = 'n8n API';

function credentialOf(id: string, { apiKey, baseUrl }: NodeCall): StoredCredential {
  // The key is the stack's own or one the fault made: registered as a secret, masked wherever it appears.
  return { id, name: CREDENTIAL_NAME, type: 'n8nApi', data: { apiKey, baseUrl } };
}

/** The "n8n API" credential and the webhook workflow whose n8n node lists `call.resource` with it. */
export function nodeCallWorkflow(call: NodeCall): CredentialWorkflow {
  const { name, type, data } = credentialOf('', call);
  return { credential: { name, type, data }, fixture: 'n8n-node-call', values: { resource: call.resource } };
}

/** Creates the "n8n API" credential (through /rest, as the editor does) and a webhook workflow whose n8n node uses it. */
export async function deployNodeCall(ctx: ScenarioContext, call: NodeCall): Promise<NodeState> {
  return { ...(await deployCredentialWorkflow(ctx, nodeCallWorkflow(call))), call };
}

/** A fault that is only the call as deployed: its proof comes from what reached n8n. */
export async function deployed(ctx: ScenarioContext, call: NodeCall): Promise<{ proof: []; state: NodeState }> {
  return { proof: [], state: await deployNodeCall(ctx, call) };
}

/** n8n's messages for a request that found nothing listening or no such host: nothing reached an API. */
const NOT_CONNECTED = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|refused the connection|could not connect/i;

/** The saved execution as the node's answer: the class of the HTTP code in its error (401, 403, 404), or not sent when it could not connect. */
function asNodeAnswer(execution: Exchange): Exchange {
  const saved = JSON.parse(execution.response?.body ?? '{}') as { error?: { httpCode?: string | number; whole?: string } };
  const code = String(saved.error?.httpCode ?? '');
  if (/^\d{3}$/.test(code)) return { ...execution, outcome: outcomeOf(Number(code)) };
  return saved.error && NOT_CONNECTED.test(saved.error.whole ?? '') ? { ...execution, outcome: 'not-sent' } : execution;
}

/** A request n8n made with the credential (its test, or the node), as it reached n8n through the tap (by the service name or through NGINX). */
function tapped(label: string, r: { method: string; url: string; headers: Array<[string, string]> }): Exchange {
  return record({
    label: `${label}: what n8n sent with the credential (its test or the node), as it reached n8n (recorded by the tap)`,
    via: 'n8n-workflow',
    request: { method: r.method, url: `http://n8n:5678${r.url}`, headers: r.headers },
    error: "the tap records the request only: the answer is in the credential test's result and the execution",
    outcome: 'other',
    context: true,
  });
}

/**
 * n8n's credential test of the credential as it is now (shown), then one run of the workflow: the
 * webhook (shown: with responseMode lastNode it answers the node's output), what reached n8n
 * through the tap (shown), and the execution n8n saved (judged).
 */
export async function runNodeCall(ctx: ScenarioContext, state: NodeState, label: string): Promise<Exchange[]> {
  const tap = ctx.stack.proxy?.tap;
  if (!tap) throw new Error(`stack ${ctx.stack.spec.name} has no tap in front of n8n`);
  const mark = tap.mark();
  const test = await testCredential(ctx, credentialOf(state.credentialId, state.call));
  const trigger = await triggerWebhook(ctx, state.workflow, label);
  const reached = await tap.requestsSince(mark);
  const execution = await lastExecution(ctx, state.workflow.id, `${label}: the execution n8n saved, read back through the public API`);
  return [{ ...test, label: `${label}: ${test.label}`, context: true }, trigger, ...reached.map((r) => tapped(label, r)), asNodeAnswer(execution)];
}

/** What reached n8n through the tap during a run: the credential test's and the node's requests. */
export const reachedByTap = (run: Exchange[]) => run.filter((e) => e.via === 'n8n-workflow');

/** A fix that edits the credential (another Base URL or key) and runs the workflow again; `also` changes the stack first (a proxy config). */
export function editCall(
  name: string,
  source: Remedy['source'],
  change: (ctx: ScenarioContext, call: NodeCall) => NodeCall,
  label: string,
  also?: Remedy<NodeState>['apply'],
): Remedy<NodeState> {
  return {
    name,
    source,
    apply: async (ctx, state) => {
      const checks = (await also?.(ctx, state)) ?? [];
      state.call = change(ctx, state.call);
      return [...checks, ...(await saveCredential(ctx, credentialOf(state.credentialId, state.call)))];
    },
    probe: (ctx, state) => runNodeCall(ctx, state, label),
  };
}

/**
 * The fault is inside a workflow; the doctor reads the executions with the stack's own key and
 * names the n8n node's failure from the error it saved, or finds nothing where the run succeeded.
 */
export const DOCTOR_FROM_NODE_EXECUTION: DoctorExpectation<NodeState> = {
  names: {
    among: ['n8n-node-call-failed', 'healthy'],
    decide: (symptom) => {
      const execution = symptom.findLast((e) => e.request.url.includes('/api/v1/executions'));
      return !execution || execution.outcome === 'accepted' ? 'healthy' : 'n8n-node-call-failed';
    },
  },
};
