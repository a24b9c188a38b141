import { http, HttpResponse } from 'msw';
import { rawHeader } from './raw-headers.ts';
import type { ProviderDefinition } from './types.ts';

/** A Pinecone-like API (`Api-Key` header). */
export const pinecone: ProviderDefinition = {
  name: 'pinecone',
  secretEnv: ['PINECONE_KEY'],
  handlers: (vars) => [
    http.get('*/indexes', ({ request }) =>
      rawHeader(request, 'api-key') === vars.PINECONE_KEY
        ? HttpResponse.json({ indexes: [{ name: 'authlab', dimension: 1536, metric: 'cosine' }] })
        : HttpResponse.json({ error: { code: 'UNAUTHENTICATED', message: 'Invalid API Key' }, status: 401 }, { status: 401 }),
    ),
  ],
};
