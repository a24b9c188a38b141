import { http, HttpResponse } from 'msw';
import { rawHeader } from './raw-headers.ts';
import type { ProviderDefinition } from './types.ts';

/**
 * An ElevenLabs-like API (`xi-api-key`): "who am I" accepts a free-tier key; text to speech
 * refuses it with 401, as the guide's A3 case (credential test green, execution red) describes.
 */
export const elevenLabs: ProviderDefinition = {
  name: 'elevenlabs',
  secretEnv: ['ELEVENLABS_FREE_KEY', 'ELEVENLABS_PAID_KEY'],
  handlers: (vars) => {
    const tier = (request: Request) => {
      const key = rawHeader(request, 'xi-api-key');
      return key === vars.ELEVENLABS_PAID_KEY ? 'creator' : key === vars.ELEVENLABS_FREE_KEY ? 'free' : undefined;
    };
    const invalid = () => HttpResponse.json({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } }, { status: 401 });
    return [
      http.get('*/v1/user', ({ request }) => {
        const t = tier(request);
        return t ? HttpResponse.json({ subscription: { tier: t, character_count: 0, character_limit: t === 'free' ? 10000 : 100000 } }) : invalid();
      }),
      http.post('*/v1/text-to-speech/:voice', ({ request }) => {
        const t = tier(request);
        if (!t) return invalid();
        if (t === 'free')
          return HttpResponse.json(
            { detail: { status: 'missing_permissions', message: 'The API key you used is missing the permission text_to_speech to execute this operation.' } },
            { status: 401 },
          );
        return new HttpResponse(new Uint8Array([0x49, 0x44, 0x33]), { headers: { 'content-type': 'audio/mpeg' } });
      }),
    ];
  },
};
