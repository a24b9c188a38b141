// A real OAuth 2.0 authorization server (oidc-provider) for n8n's OAuth2 credential: the
// authorization-code flow over HTTP, one confidential client, oidc-provider's own sign-in and
// consent pages (any user name signs in). Every request it judged is printed as one JSON line
// (`{"oauthEvent":...}`) so a test reads what the provider saw from the container's log.
// POST /authlab/client {"redirectUris": [...]} registers the client's redirect URIs: the public
// URL is known only once the stack published its ports, so the provider starts again with them.
// Behind it, a protected API (GET /api/resource, api.mjs) that looks the bearer token up in the
// provider, and what a test sets at run time (POST /authlab/config): the access token's lifetime,
// the status the API answers an expired token with, a delay before the token endpoint answers.
// POST /authlab/code mints an authorization code for n8n's callback without the consent screen;
// POST /authlab/revoke-grants revokes them all (the user removed the app's access).
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { answerApi, mintCode, revokeGrants, settings, updateSettings } from './api.mjs';

const PORT = Number(process.env.OAUTH_PORT ?? 3000);
const ISSUER = process.env.OAUTH_ISSUER ?? `http://oauth:${PORT}`;
const CLIENT_ID = process.env.OAUTH_CLIENT_ID ?? 'n8n';
const CLIENT_SECRET = process.env.OAUTH_CLIENT_SECRET ?? 'n8n-secret';

const log = (event) => console.log(JSON.stringify({ oauthEvent: { at: new Date().toISOString(), ...event } }));
const params = (ctx) => ctx.oidc?.params ?? {};

function providerFor(redirectUris) {
  const provider = new Provider(ISSUER, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // n8n's OAuth2 credential sends its client's id and secret as Basic auth ("Header") or in the body.
        token_endpoint_auth_method: process.env.OAUTH_AUTH_METHOD ?? 'client_secret_basic',
      },
    ],
    // n8n's "Authorization Code" grant sends no PKCE challenge (its "PKCE" grant does).
    pkce: { required: () => false },
    // Short-lived access tokens and a new refresh token on every refresh (the old one then counts as reuse).
    ttl: { AccessToken: () => settings.accessTokenTtl, RefreshToken: 24 * 3600, Grant: 24 * 3600 },
    rotateRefreshToken: true,
    features: { revocation: { enabled: true } },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html><head><title>OAuth error</title></head><body><h1>The authorization server refused the request</h1><p id="error">${out.error}</p><p id="description">${out.error_description ?? ''}</p></body></html>`;
    },
  });
  provider.proxy = true;
  provider.on('authorization.error', (ctx, err) =>
    log({ kind: 'authorization.error', error: err.error, description: err.error_description, redirectUri: params(ctx).redirect_uri, clientId: params(ctx).client_id }),
  );
  provider.on('authorization.success', (ctx) => log({ kind: 'authorization.success', redirectUri: params(ctx).redirect_uri, clientId: params(ctx).client_id }));
  provider.on('grant.success', (ctx) =>
    log({ kind: 'grant.success', grantType: params(ctx).grant_type, redirectUri: params(ctx).redirect_uri, refreshToken: tail(params(ctx).refresh_token) }),
  );
  provider.on('grant.error', (ctx, err) =>
    log({ kind: 'grant.error', grantType: params(ctx).grant_type, error: err.error, description: err.error_description, redirectUri: params(ctx).redirect_uri, refreshToken: tail(params(ctx).refresh_token) }),
  );
  provider.on('grant.revoked', (_ctx, grantId) => log({ kind: 'grant.revoked', grantId: tail(grantId) }));
  provider.on('revocation.success', () => log({ kind: 'revocation.success' }));
  provider.on('server_error', (_ctx, err) => log({ kind: 'server_error', error: String(err) }));
  return provider;
}

/** The last characters of a token: enough to tell tokens apart in the log, too few to use one. */
const tail = (token) => (typeof token === 'string' ? `...${token.slice(-6)}` : undefined);

let registered = (process.env.OAUTH_REDIRECT_URIS ?? 'http://localhost/callback').split(',');
let provider = providerFor(registered);
let handler = provider.callback();

async function register(req, res) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const uris = JSON.parse(body || '{}').redirectUris;
  if (!Array.isArray(uris) || uris.length === 0) {
    res.writeHead(400).end('redirectUris: a non-empty list');
    return;
  }
  registered = uris;
  provider = providerFor(registered);
  handler = provider.callback();
  log({ kind: 'client.registered', clientId: CLIENT_ID, redirectUris: registered });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ clientId: CLIENT_ID, redirectUris: registered }));
}

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function readJson(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body || '{}');
}

const routes = {
  'POST /authlab/client': register,
  'POST /authlab/config': async (req, res) => {
    const now = updateSettings(await readJson(req));
    log({ kind: 'config', ...now });
    json(res, 200, now);
  },
  'POST /authlab/code': async (req, res) => {
    const { code, grantId } = await mintCode(provider, CLIENT_ID, (await readJson(req)).redirectUri);
    log({ kind: 'code.minted', grantId: tail(grantId) });
    json(res, 200, { code });
  },
  'POST /authlab/revoke-grants': async (_req, res) => {
    const revoked = (await revokeGrants(provider)).map(tail);
    log({ kind: 'grants.revoked', grants: revoked });
    json(res, 200, { revoked });
  },
  'GET /api/resource': (req, res) => answerApi(provider, req, res, (event) => log({ ...event, token: tail(event.token) })),
};

createServer((req, res) => {
  const route = routes[`${req.method} ${req.url.split('?')[0]}`];
  if (route) {
    Promise.resolve(route(req, res)).catch((err) => json(res, 500, { error: String(err) }));
    return;
  }
  // A slow token endpoint: every token request waits before the provider judges it.
  if (req.url.startsWith('/token') && !req.url.startsWith('/token/') && settings.tokenDelayMs > 0) {
    log({ kind: 'token.delayed', ms: settings.tokenDelayMs });
    setTimeout(() => handler(req, res), settings.tokenDelayMs);
    return;
  }
  handler(req, res);
}).listen(PORT, () => log({ kind: 'listening', issuer: ISSUER, port: PORT, redirectUris: registered }));
