// The protected API behind the authorization server, and what a test may change at run time.
// GET /api/resource takes `Authorization: Bearer <access token>` and looks the token up in the
// provider (as introspection would): unknown or revoked 401, expired the configured status
// (401, 403 or 400: how real APIs differ), valid 200.

/** What a test sets through POST /authlab/config. */
export const settings = {
  /** Access-token lifetime in seconds. */
  accessTokenTtl: Number(process.env.OAUTH_ACCESS_TOKEN_TTL ?? 3600),
  /** The API's status for an expired access token. */
  expiredStatus: Number(process.env.OAUTH_EXPIRED_STATUS ?? 401),
  /** How long the token endpoint waits before answering (a slow authorization server). */
  tokenDelayMs: 0,
};

const EXPIRED_STATUSES = [400, 401, 403];

/** Applies the known fields of a config request; throws on a value out of range. */
export function updateSettings(body) {
  if (body.accessTokenTtl !== undefined) {
    if (!Number.isInteger(body.accessTokenTtl) || body.accessTokenTtl < 1) throw new Error('accessTokenTtl: whole seconds >= 1');
    settings.accessTokenTtl = body.accessTokenTtl;
  }
  if (body.expiredStatus !== undefined) {
    if (!EXPIRED_STATUSES.includes(body.expiredStatus)) throw new Error(`expiredStatus: one of ${EXPIRED_STATUSES.join(', ')}`);
    settings.expiredStatus = body.expiredStatus;
  }
  if (body.tokenDelayMs !== undefined) {
    if (!Number.isInteger(body.tokenDelayMs) || body.tokenDelayMs < 0) throw new Error('tokenDelayMs: whole milliseconds >= 0');
    settings.tokenDelayMs = body.tokenDelayMs;
  }
  return { ...settings };
}

const SCOPE = 'openid offline_access';
const ACCOUNT = 'authlab-user';
/** The grants minted here: what "remove the app's access" at the provider revokes. */
const minted = new Set();

/**
 * An authorization code for n8n's callback, as the consent screen would give it (the account has
 * consented to openid and offline_access): n8n exchanges it at the token endpoint itself.
 */
export async function mintCode(provider, clientId, redirectUri) {
  if (typeof redirectUri !== 'string' || !redirectUri) throw new Error('redirectUri: the redirect_uri n8n sent');
  const client = await provider.Client.find(clientId);
  const grant = new provider.Grant({ accountId: ACCOUNT, clientId });
  grant.addOIDCScope(SCOPE);
  const grantId = await grant.save();
  minted.add(grantId);
  const code = await new provider.AuthorizationCode({ accountId: ACCOUNT, client, grantId, scope: SCOPE, redirectUri }).save();
  return { code, grantId };
}

/** Revokes every grant minted here with its tokens, as a user removing the app's access at the provider does. */
export async function revokeGrants(provider) {
  const revoked = [...minted];
  for (const grantId of revoked) {
    for (const Model of [provider.AccessToken, provider.RefreshToken, provider.AuthorizationCode]) await Model.adapter.revokeByGrantId(grantId);
    await (await provider.Grant.find(grantId))?.destroy();
    minted.delete(grantId);
  }
  return revoked;
}

const bearerOf = (req) => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

/** Answers the protected API; `log` gets one event per call. */
export async function answerApi(provider, req, res, log) {
  const token = bearerOf(req);
  const found = token ? await provider.AccessToken.find(token, { ignoreExpiration: true }) : undefined;
  const [status, error] = !token
    ? [401, 'no bearer token']
    : !found
      ? [401, 'unknown or revoked token']
      : found.isExpired
        ? [settings.expiredStatus, 'token expired']
        : [200, undefined];
  log({ kind: 'api.call', status, ...(error ? { error } : {}), token });
  const body = error ? { error: status === 400 ? 'invalid_request' : 'invalid_token', error_description: error } : { ok: true, sub: found.accountId };
  res.writeHead(status, { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': `Bearer error="invalid_token"` } : {}) }).end(JSON.stringify(body));
}
