import { outcomeOf, record, type Exchange } from '../../parts/client/exchange.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import {
  deployWebhookWorkflow,
  executionExchange,
  newestExecutionId,
  recentExecutions,
  triggerWebhook,
  type ExecutionSummary,
  type WebhookWorkflow,
} from '../../core/workflows.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import type { OAuthEvent, OAuthServerSettings, StartedOAuthProviderContainer } from '../../parts/stack/oauth-provider-container.ts';
import { countTokenEvents, tokenEventLines } from './token-events.ts';

/** One n8n (regular mode) with the authorization server and its protected API beside it. */
export const OAUTH2_STACK: StackSpec = { name: 'oauth2', oauthProvider: true };

/** The access token's lifetime on the provider (seconds): short, so that a scenario waits it out. */
export const ACCESS_TOKEN_TTL = 4;

/** A deployed OAuth2 call: the oAuth2Api credential connected to the provider, and the webhook workflow whose HTTP Request node calls the API with it. */
export interface OAuth2Call {
  credentialId: string;
  credentialName: string;
  workflow: WebhookWorkflow;
}

export function oauthServer(ctx: ScenarioContext): StartedOAuthProviderContainer {
  const provider = ctx.stack.services.oauthProvider;
  if (!provider) throw new Error(`stack ${ctx.stack.spec.name} runs no OAuth server (oauthProvider)`);
  return provider;
}

/** n8n's generic OAuth2 credential for the provider: n8n reaches both its URLs on the stack network. */
function credentialData(provider: StartedOAuthProviderContainer, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    grantType: 'authorizationCode',
    authUrl: `${provider.internalUrl}/auth`,
    accessTokenUrl: `${provider.internalUrl}/token`,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    scope: 'openid offline_access',
    authQueryParameters: '',
    authentication: 'header',
    ...extra,
  };
}

/** Saves the credential's fields (n8n keeps the tokens it holds), e.g. its Token Expired Status Code. */
export async function editCredential(ctx: ScenarioContext, call: OAuth2Call, extra: Record<string, unknown>): Promise<Check> {
  const answer = await ctx.n8n.client.updateCredential(call.credentialId, {
    name: call.credentialName,
    type: 'oAuth2Api',
    data: credentialData(oauthServer(ctx), extra),
  });
  return check(
    `n8n saved the credential with ${JSON.stringify(extra)}`,
    answer.status === 200,
    `PATCH /rest/credentials/${call.credentialId}: ${answer.status}`,
  );
}

/**
 * Connects the credential the way "Connect my account" does, without the consent screen: n8n's own
 * authorization URL (its state and redirect_uri), a code the provider mints for that redirect_uri,
 * and n8n's callback, which exchanges the code at the token endpoint and stores the tokens.
 */
export async function connectCredential(ctx: ScenarioContext, credentialId: string): Promise<Check> {
  const client = ctx.n8n.client;
  const auth = await client.call('GET', `/rest/oauth2-credential/auth?id=${credentialId}`);
  const url = new URL(String((auth.json as { data?: string } | undefined)?.data ?? 'http://invalid/'));
  const redirectUri = url.searchParams.get('redirect_uri') ?? '';
  const code = await oauthServer(ctx).mintCode(redirectUri);
  const callback = await client.call('GET', `/rest/oauth2-credential/callback?${new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' })}`);
  const stored = await client.call('GET', `/rest/credentials/${credentialId}?includeData=true`);
  const tokens = (stored.json as { data?: { data?: { oauthTokenData?: unknown } } } | undefined)?.data?.data?.oauthTokenData;
  return check(
    "n8n's callback took the code and stored the tokens in the credential (connected)",
    callback.status === 200 && tokens !== undefined && tokens !== null,
    `auth URL ${auth.status}, callback ${callback.status} ${callback.text.replace(/\s+/g, ' ').slice(0, 120)}; oauthTokenData ${tokens === undefined ? 'absent' : 'stored'}`,
  );
}

/** Sets the provider up, creates and connects the credential and deploys the workflow that calls the API with it. */
export async function deployOAuth2Call(ctx: ScenarioContext, settings: OAuthServerSettings): Promise<{ proof: Check[]; state: OAuth2Call }> {
  const provider = oauthServer(ctx);
  const now = await provider.configure({ accessTokenTtl: ACCESS_TOKEN_TTL, expiredStatus: 401, tokenDelayMs: 0, ...settings });
  const configured = check(
    'the provider issues short-lived access tokens and its API answers an expired one with the status set',
    now.accessTokenTtl === (settings.accessTokenTtl ?? ACCESS_TOKEN_TTL) && now.expiredStatus === (settings.expiredStatus ?? 401),
    JSON.stringify(now),
  );
  const credentialName = `OAuth2 API at oidc-provider (${Date.now()})`;
  const credentialId = await ctx.n8n.client.createCredential({ name: credentialName, type: 'oAuth2Api', data: credentialData(provider, {}) });
  const connected = await connectCredential(ctx, credentialId);
  const workflow = await deployWebhookWorkflow(ctx, 'oauth2-api-call', { credentialId, credentialName, apiUrl: `${provider.internalUrl}/api/resource` });
  return { proof: [configured, connected], state: { credentialId, credentialName, workflow } };
}

/** Waits until the access token n8n holds has expired, proven by when the provider issued it. */
export async function waitPastExpiry(ctx: ScenarioContext): Promise<Check> {
  const issued = oauthServer(ctx)
    .events()
    .filter((e) => e.kind === 'grant.success')
    .at(-1);
  const issuedAt = issued ? Date.parse(issued.at) : Date.now();
  const wait = issuedAt + (ACCESS_TOKEN_TTL + 1) * 1000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const age = (Date.now() - issuedAt) / 1000;
  return check(
    `the access token n8n holds is older than its ${ACCESS_TOKEN_TTL} s lifetime`,
    issued !== undefined && age > ACCESS_TOKEN_TTL,
    `issued at ${issued?.at ?? '(never)'}, ${age.toFixed(1)} s ago`,
  );
}

/** An execution as the node's answer: its outcome is the class of the HTTP code in its error, where it has one. */
function judgedExecution(ctx: ScenarioContext, label: string, path: string, status: number, execution: ExecutionSummary | undefined): Exchange {
  const exchange = executionExchange(ctx, label, path, status, execution);
  const code = Number(execution?.error?.httpCode);
  return execution?.error && Number.isInteger(code) && code > 0 ? { ...exchange, outcome: outcomeOf(code) } : exchange;
}

/** What the provider saw during a run (its token endpoint and its API), shown beside the judged executions. */
export function providerSaw(ctx: ScenarioContext, label: string, events: OAuthEvent[]): Exchange {
  const provider = oauthServer(ctx);
  return record({
    label: `${label}: what the authorization server and its API saw (${countTokenEvents(events).refreshes} refresh grant(s), ${countTokenEvents(events).refused} refused)`,
    via: 'n8n-workflow',
    request: { method: 'POST', url: `${provider.internalUrl}/token`, headers: [] },
    response: { status: 200, body: tokenEventLines(events).join('\n') },
    outcome: 'other',
    context: true,
  });
}

/** Runs the workflow `runs` times at once: the webhooks (shown), what the provider saw (shown), and each execution n8n saved (judged). */
export async function runApiCall(ctx: ScenarioContext, call: OAuth2Call, label: string, runs = 1): Promise<Exchange[]> {
  const provider = oauthServer(ctx);
  const mark = provider.logLines.mark();
  const before = await newestExecutionId(ctx, call.workflow.id, ctx.n8n.apiKey.rawApiKey);
  const triggers = await Promise.all(Array.from({ length: runs }, (_, i) => triggerWebhook(ctx, call.workflow, runs > 1 ? `${label} (run ${i + 1})` : label)));
  const { path, status, executions } = await recentExecutions(ctx, call.workflow.id, runs, ctx.n8n.apiKey.rawApiKey, before ?? '0');
  await new Promise((r) => setTimeout(r, 300));
  const saw = providerSaw(ctx, label, provider.events(mark));
  const saved = executions.map((e, i) =>
    judgedExecution(ctx, `${label}: execution ${runs > 1 ? `${i + 1} of ${runs} ` : ''}n8n saved, read back through the public API`, path, status, e),
  );
  return [...triggers, saw, ...saved];
}

/** The provider's token events recorded in a run's exchanges (the body of `providerSaw`). */
export function recordedTokenLines(exchanges: Exchange[]): string[] {
  return exchanges.filter((e) => e.context && e.request.url.endsWith('/token')).flatMap((e) => (e.response?.body ? e.response.body.split('\n') : []));
}
