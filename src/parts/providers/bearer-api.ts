import { http, HttpResponse } from 'msw';
import { rawHeader } from './raw-headers.ts';
import type { ProviderDefinition } from './types.ts';

/** A generic API behind `Authorization: Bearer <token>`, compared byte for byte with the token it was given. */
export const bearerApi: ProviderDefinition = {
  name: 'bearer-api',
  secretEnv: ['BEARER_API_TOKEN'],
  handlers: (env) => [
    http.get('*/v1/me', ({ request }) => {
      const sent = rawHeader(request, 'authorization');
      if (sent === `Bearer ${env.BEARER_API_TOKEN ?? ''}`) return HttpResponse.json({ id: 'user-1', plan: 'free' });
      return HttpResponse.json({ message: 'Invalid API key', statusCode: 401 }, { status: 401 });
    }),
  ],
};
