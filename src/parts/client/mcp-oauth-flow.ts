import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { request } from 'undici';
import { registerSecret } from '../../base/secrets.ts';
import { type Exchange, record } from './exchange.ts';
import { mcpSession, recordingFetch, type McpSessionRequest } from './mcp-client.ts';
import { InMemoryOAuthClient } from './mcp-oauth-provider.ts';
import type { Answer, N8nClient } from './n8n-client.ts';

const OAUTH_SESSION_COOKIE = 'n8n-oauth-session';

export interface OAuthGrant {
  /** The access token n8n's OAuth server issued, registered for masking ('' when the flow failed). */
  accessToken: string;
  /** Every request of the flow: the SDK's discovery, registration and token exchange; the consent as the editor sends it. */
  exchanges: Exchange[];
}

/**
 * The SDK's OAuth flow against n8n's own OAuth server, as a user adding n8n to an AI client goes
 * through it: discovery and dynamic registration by the SDK, the authorization URL opened (n8n sets
 * its OAuth session cookie and sends the user to its consent page), the owner's approval as the
 * consent page posts it (`POST /rest/consent/approve`, signed in), the code exchanged by the SDK.
 */
export async function authorizeMcpClient(req: Pick<McpSessionRequest, 'url' | 'pinned'>, owner: N8nClient): Promise<OAuthGrant> {
  const provider = new InMemoryOAuthClient();
  const exchanges = await mcpSession({ ...req, label: "the SDK's client, sent to n8n's consent page", authProvider: provider, judgeOn: () => [] });
  const authorizationUrl = provider.authorizationUrl;
  if (!authorizationUrl) return { accessToken: '', exchanges };
  const target =
    req.pinned && authorizationUrl.host === req.pinned.host
      ? `http://127.0.0.1:${req.pinned.port}${authorizationUrl.pathname}${authorizationUrl.search}`
      : authorizationUrl.href;
  const opened = await request(target, { method: 'GET', headers: { host: authorizationUrl.host } });
  await opened.body.text();
  const setCookie = [opened.headers['set-cookie'] ?? []].flat();
  const session = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${OAUTH_SESSION_COOKIE}=`));
  exchanges.push(
    record({
      label: 'the authorization URL opened',
      via: 'client',
      request: { method: 'GET', url: authorizationUrl.href, headers: [] },
      response: {
        status: opened.statusCode,
        body: `location: ${String(opened.headers.location ?? '')}; ${session ? 'n8n-oauth-session cookie set' : 'no n8n-oauth-session cookie'}`,
      },
      context: true,
    }),
  );
  if (!session) return { accessToken: '', exchanges };
  registerSecret(session.split('=')[1] ?? '', 'secret');
  const consent = await approveOnConsentPage(owner, `${owner.sessionCookie() ?? ''}; ${session}`);
  exchanges.push(...consent.exchanges);
  const code = consent.redirectUrl ? (new URL(consent.redirectUrl).searchParams.get('code') ?? '') : '';
  if (!code) return { accessToken: '', exchanges };
  const wire: Exchange[] = [];
  await auth(provider, { serverUrl: req.url, authorizationCode: code, fetchFn: recordingFetch(wire, req.pinned) }).catch(() => undefined);
  exchanges.push(...wire);
  const accessToken = provider.tokens()?.access_token ?? '';
  if (accessToken) registerSecret(accessToken, 'api-key');
  for (const t of [provider.tokens()?.refresh_token]) if (t) registerSecret(t, 'secret');
  return { accessToken, exchanges };
}

/**
 * What n8n's consent page does when the signed-in owner clicks to allow: reads what is asked
 * (`GET /rest/consent/details`) and approves every scope offered (`POST /rest/consent/approve`),
 * with `cookie` holding the owner's n8n-auth and n8n's OAuth session cookie. Returns where n8n
 * sends the browser next (the client's redirect URI with the code, registered as a secret) and both
 * steps, as context.
 */
export async function approveOnConsentPage(owner: N8nClient, cookie: string): Promise<{ redirectUrl: string; exchanges: Exchange[] }> {
  const details = await owner.call('GET', '/rest/consent/details', { headers: { cookie } });
  const scopes = scopesOf(details.json);
  const approved = await owner.call('POST', '/rest/consent/approve', { body: { approved: true, scopes }, headers: { cookie } });
  const redirectUrl = (approved.json as { data?: { redirectUrl?: string } } | undefined)?.data?.redirectUrl ?? '';
  const code = redirectUrl ? (new URL(redirectUrl).searchParams.get('code') ?? '') : '';
  if (code) registerSecret(code, 'secret');
  return {
    redirectUrl,
    exchanges: [
      consentStep('the consent page asks what is requested', 'GET', `${owner.baseUrl}/rest/consent/details`, details),
      consentStep('the owner approves every scope asked on the consent page', 'POST', `${owner.baseUrl}/rest/consent/approve`, approved),
    ],
  };
}

/** A step of the consent page, as context beside the SDK's requests. */
function consentStep(label: string, method: string, url: string, answer: Answer): Exchange {
  return record({ label, via: 'client', request: { method, url, headers: [] }, response: { status: answer.status, body: answer.text }, context: true });
}

/** The scopes the consent page offers (`data.scopes`: names, or objects with one). */
function scopesOf(json: unknown): string[] {
  const scopes = (json as { data?: { scopes?: unknown[] } } | undefined)?.data?.scopes ?? [];
  return scopes.flatMap((s) => (typeof s === 'string' ? [s] : typeof s === 'object' && s !== null && 'scope' in s ? [String(s.scope)] : []));
}
