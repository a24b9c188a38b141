import { fingerprint } from '../../base/secrets.ts';
import { saveCredential } from '../../core/credentials.ts';
import { required } from '../../core/define.ts';
import { check } from '../../core/probes.ts';
import type { Check, Remedy, ScenarioContext } from '../../core/types.ts';
import { deployCredentialWorkflow, providerUrl, runWebhookWorkflow, waitForWebhook, type WebhookWorkflow } from '../../core/workflows.ts';
import { record, type Exchange } from '../../parts/client/exchange.ts';
import type { N8nReplacement, StartedN8nContainer } from '../../parts/stack/n8n-container.ts';

/** The variable the credential reads. */
export const ENV_NAME = 'API_KEY';
/** The setting that blocks `$env` in expressions. */
export const BLOCK = 'N8N_BLOCK_ENV_ACCESS_IN_NODE';
/** The Header Auth value that takes the key from n8n's env: an n8n expression (the leading `=`), as the editor saves `{{ }}` in a credential field. */
export const FROM_ENV = `=Bearer {{ $env.${ENV_NAME} }}`;
const API = 'bearer-api';

/** The credential that reads `$env` and the webhook workflow whose HTTP Request node uses it. */
export interface EnvCallState {
  credentialId: string;
  workflow: WebhookWorkflow;
}

/** The block's setting, as evidence: `N8N_BLOCK_ENV_ACCESS_IN_NODE=false`, or not set. */
export const setting = (value: string): string => (value ? `${BLOCK}=${value}` : `${BLOCK} not set`);

/** The bearer API's token, which the stack generated: what API_KEY must hold. */
export const apiToken = (ctx: ScenarioContext): string =>
  required(ctx.stack.providers?.secrets.BEARER_API_TOKEN, `stack ${ctx.stack.spec.name}'s bearer API token`);

/** Creates the Header Auth credential `Authorization: Bearer {{ $env.API_KEY }}` and a webhook workflow calling the bearer API with it. */
export async function deployEnvCall(ctx: ScenarioContext): Promise<EnvCallState> {
  return deployCredentialWorkflow(ctx, {
    credential: { name: `${API} key from $env`, type: 'httpHeaderAuth', data: { name: 'Authorization', value: FROM_ENV } },
    fixture: 'bearer-api-call',
    values: { providerUrl: providerUrl(API) },
  });
}

/** Saves the credential's value: the `$env` expression, or the key itself. */
export function storeInCredential(ctx: ScenarioContext, state: EnvCallState, value: string): Promise<Check[]> {
  return saveCredential(ctx, { id: state.credentialId, name: `${API} key`, type: 'httpHeaderAuth', data: { name: 'Authorization', value } });
}

/** An n8n process's value of an env variable ('' when unset). */
export async function envOf(container: StartedN8nContainer, name: string): Promise<string> {
  return (await container.exec(['sh', '-c', `printenv ${name} || true`])).output.trim();
}

/** What a process's API_KEY is, in the evidence: unset, the API's token or another value (fingerprints, never the value). */
export function describeVariable(value: string, token: string): string {
  if (!value) return `${ENV_NAME} not set`;
  return `${ENV_NAME} ${fingerprint(value)}${value === token ? ", the API's token" : `, not the API's token (${fingerprint(token)})`}`;
}

/** Proof of what one process's env holds: API_KEY (set to the API's token or unset, as `holds` says) and the block's setting. */
export async function envProof(container: StartedN8nContainer, name: string, token: string, holds: boolean): Promise<Check> {
  const value = await envOf(container, ENV_NAME);
  const block = await envOf(container, BLOCK);
  return check(
    `${name}'s env ${holds ? `holds ${ENV_NAME}, the API's token` : `has no ${ENV_NAME}`}`,
    holds ? value === token : value === '',
    `${describeVariable(value, token)}; ${setting(block)}`,
  );
}

/**
 * Replaces the primary n8n with a change to its env and waits for the workflow's webhook (n8n
 * registers it again after a start); proves the block's setting it now runs with.
 */
export async function restartWith(ctx: ScenarioContext, state: EnvCallState, change: N8nReplacement, block: string): Promise<Check> {
  await ctx.stack.replacePrimary(change);
  await waitForWebhook(ctx, state.workflow);
  const now = await envOf(ctx.n8n.container, BLOCK);
  return check(`n8n restarted with ${setting(block)}`, now === block, setting(now));
}

/**
 * Runs the workflow once: the webhook that starts it, each request that reached the API with its
 * answer (or a record that none did), and the execution n8n saved, read back.
 */
export async function runEnvCall(ctx: ScenarioContext, state: EnvCallState, label: string): Promise<Exchange[]> {
  const run = await runWebhookWorkflow(ctx, state.workflow, label, API);
  if (run.some((e) => e.via === 'n8n-workflow')) return run;
  const nothing = record({
    label: `${label}: what reached the ${API} mock`,
    via: 'client',
    request: { method: 'GET', url: `${providerUrl(API)} (the mock's record)`, headers: [] },
    response: { status: 200, body: 'no request arrived' },
    context: true,
  });
  return [...run, nothing];
}

/** The requests of a run that reached the API. */
export const reachedApi = (run: Exchange[]): Exchange[] => run.filter((e) => e.via === 'n8n-workflow');

/** The project's fix: the key stored in the credential itself, no `$env` (n8n encrypts it at rest). */
export function keyInCredential(): Remedy<EnvCallState> {
  return {
    name: 'store the key in the credential itself, no $env (n8n keeps it encrypted)',
    source: 'correct',
    apply: (ctx, state) => storeInCredential(ctx, state, `Bearer ${apiToken(ctx)}`),
    probe: (ctx, state) => runEnvCall(ctx, state, 'the key stored in the credential'),
  };
}
