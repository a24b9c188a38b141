import { http, HttpResponse } from 'msw';
import { errors, jwtVerify } from 'jose';
import type { ProviderDefinition } from './types.ts';

/** What the provider allows, like GitHub's app JWTs: an iat in the past (a minute of slack), ten minutes of life. */
const JWT_APP_CLOCK_TOLERANCE_S = 60;
const JWT_APP_MAX_TOKEN_AGE = '10m';

/**
 * An API that authenticates callers by a JWT they sign with a shared secret (HS256) and
 * checks its time claims against its own, correct clock.
 */
export const jwtApp: ProviderDefinition = {
  name: 'jwt-app',
  secretEnv: ['JWT_APP_SECRET'],
  handlers: (env) => {
    const secret = new TextEncoder().encode(env.JWT_APP_SECRET ?? '');
    return [
      http.get('*/app', async ({ request }) => {
        const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
        if (!token) return HttpResponse.json({ message: 'A JSON web token could not be decoded' }, { status: 401 });
        try {
          const { payload } = await jwtVerify(token, secret, {
            algorithms: ['HS256'],
            clockTolerance: JWT_APP_CLOCK_TOLERANCE_S,
            maxTokenAge: JWT_APP_MAX_TOKEN_AGE,
          });
          return HttpResponse.json({ id: 1, slug: 'authlab-app', iat: payload.iat, serverTime: Math.floor(Date.now() / 1000) });
        } catch (err) {
          // The token's iat and the provider's clock go in the answer: the evidence a lab needs (a real API says less).
          const claimError = err instanceof errors.JWTClaimValidationFailed || err instanceof errors.JWTExpired ? err : undefined;
          const message = err instanceof Error ? err.message : String(err);
          return HttpResponse.json(
            { message: `JWT rejected: ${message}`, claim: claimError?.claim, iat: claimError?.payload.iat, serverTime: Math.floor(Date.now() / 1000) },
            { status: 401 },
          );
        }
      }),
    ];
  },
};
