// A real OAuth 2.0 authorization server (oidc-provider) for n8n's OAuth2 credential: the
// authorization-code flow over HTTP, one confidential client, oidc-provider's own sign-in and
// consent pages (any user name signs in). Every request it judged is printed as one JSON line
// (`{"oauthEvent":...}`) so a test reads what the provider saw from the container's log.
// POST /authlab/client {"redirectUris": [...]} registers the client's redirect URIs: the public
// URL is known only once the stack published its ports, so the provider starts again with them.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

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
  provider.on('grant.success', (ctx) => log({ kind: 'grant.success', grantType: params(ctx).grant_type, redirectUri: params(ctx).redirect_uri }));
  provider.on('grant.error', (ctx, err) => log({ kind: 'grant.error', error: err.error, description: err.error_description, redirectUri: params(ctx).redirect_uri }));
  provider.on('server_error', (_ctx, err) => log({ kind: 'server_error', error: String(err) }));
  return provider;
}

let registered = (process.env.OAUTH_REDIRECT_URIS ?? 'http://localhost/callback').split(',');
let handler = providerFor(registered).callback();

async function register(req, res) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const uris = JSON.parse(body || '{}').redirectUris;
  if (!Array.isArray(uris) || uris.length === 0) {
    res.writeHead(400).end('redirectUris: a non-empty list');
    return;
  }
  registered = uris;
  handler = providerFor(registered).callback();
  log({ kind: 'client.registered', clientId: CLIENT_ID, redirectUris: registered });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ clientId: CLIENT_ID, redirectUris: registered }));
}

createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/authlab/client') {
    register(req, res).catch((err) => res.writeHead(500).end(String(err)));
    return;
  }
  handler(req, res);
}).listen(PORT, () => log({ kind: 'listening', issuer: ISSUER, port: PORT, redirectUris: registered }));
