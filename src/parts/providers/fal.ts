import { http, HttpResponse } from 'msw';
import { rawHeader } from './raw-headers.ts';
import type { ProviderDefinition } from './types.ts';

/** A fal.ai-like API (`Authorization: Key <key>`): any key answers the ping; only a paid plan may generate images. */
export const fal: ProviderDefinition = {
  name: 'fal',
  secretEnv: ['FAL_FREE_KEY', 'FAL_PAID_KEY'],
  handlers: (vars) => {
    const plan = (request: Request) => {
      const auth = rawHeader(request, 'authorization');
      return auth === `Key ${vars.FAL_PAID_KEY}` ? 'paid' : auth === `Key ${vars.FAL_FREE_KEY}` ? 'free' : undefined;
    };
    return [
      http.get('*/ping', ({ request }) => (plan(request) ? HttpResponse.json({ ok: true }) : HttpResponse.json({ detail: 'Invalid Key' }, { status: 401 }))),
      http.post('*/fal-ai/flux/dev', ({ request }) => {
        const p = plan(request);
        if (!p) return HttpResponse.json({ detail: 'Invalid Key' }, { status: 401 });
        if (p === 'free')
          return HttpResponse.json({ detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.' }, { status: 401 });
        return HttpResponse.json({ images: [{ url: 'http://fal/images/1.png', width: 1024, height: 768 }] });
      }),
    ];
  },
};
