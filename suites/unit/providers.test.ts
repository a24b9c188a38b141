import { getResponse } from 'msw';
import { describe, expect, test } from 'vitest';
import { PROVIDERS, type ProviderName } from '../../src/parts/providers/catalog.ts';
import { encodeRawHeaders, RAW_HEADERS } from '../../src/parts/providers/raw-headers.ts';

const ENV = {
  OPENAI_KEY: 'sk-authlab-plain',
  OPENAI_PROJECT_KEY: 'sk-proj-authlab',
  OPENAI_PROJECT: 'proj_authlab',
  OPENAI_RESTRICTED_KEY: 'sk-authlab-restricted',
  OPENROUTER_KEY: 'sk-or-authlab',
  ELEVENLABS_FREE_KEY: 'xi-free',
  ELEVENLABS_PAID_KEY: 'xi-paid',
  FAL_FREE_KEY: 'fal-free',
  FAL_PAID_KEY: 'fal-paid',
  PINECONE_KEY: 'pc-authlab',
  BEARER_API_TOKEN: 'bearer-authlab',
};

/** A request as serve.ts hands it to the handlers: the raw header bytes ride along. */
async function call(provider: ProviderName, method: string, path: string, headers: Array<[string, string]>): Promise<number> {
  const raw: Array<[string, string]> = headers.map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('latin1')]);
  const request = new Request(`http://${provider}:8080${path}`, { method, headers: [[RAW_HEADERS, encodeRawHeaders(raw)]] });
  const response = await getResponse(PROVIDERS[provider].handlers(ENV), request);
  return response?.status ?? 404;
}

describe('the mock providers compare keys byte for byte', () => {
  test('OpenAI-like: Bearer key; a project key needs its OpenAI-Project header', async () => {
    expect(await call('openai', 'GET', '/v1/models', [['Authorization', 'Bearer sk-authlab-plain']])).toBe(200);
    expect(await call('openai', 'GET', '/v1/models', [['Authorization', 'sk-authlab-plain']])).toBe(401);
    expect(await call('openai', 'GET', '/v1/models', [['Authorization', 'Bearer sk-proj-authlab']])).toBe(401);
    expect(
      await call('openai', 'GET', '/v1/models', [
        ['Authorization', 'Bearer sk-proj-authlab'],
        ['OpenAI-Project', 'proj_authlab'],
      ]),
    ).toBe(200);
  });

  test('OpenAI-like: a restricted key lists models but may not call them', async () => {
    expect(await call('openai', 'GET', '/v1/models', [['Authorization', 'Bearer sk-authlab-restricted']])).toBe(200);
    expect(await call('openai', 'POST', '/v1/chat/completions', [['Authorization', 'Bearer sk-authlab-restricted']])).toBe(401);
  });

  test('a key with an NBSP or a zero-width space is a wrong key', async () => {
    expect(await call('openai', 'GET', '/v1/models', [['Authorization', 'Bearer sk-authlab-plain\u00a0']])).toBe(401);
    expect(await call('bearer-api', 'GET', '/v1/me', [['Authorization', 'Bearer \u200bbearer-authlab']])).toBe(401);
    expect(await call('bearer-api', 'GET', '/v1/me', [['Authorization', 'Bearer bearer-authlab']])).toBe(200);
  });

  test('ElevenLabs-like: the free key passes "who am I" and is refused text to speech', async () => {
    expect(await call('elevenlabs', 'GET', '/v1/user', [['xi-api-key', 'xi-free']])).toBe(200);
    expect(await call('elevenlabs', 'POST', '/v1/text-to-speech/voice1', [['xi-api-key', 'xi-free']])).toBe(401);
    expect(await call('elevenlabs', 'POST', '/v1/text-to-speech/voice1', [['xi-api-key', 'xi-paid']])).toBe(200);
  });

  test('fal.ai-like: Key scheme; the free plan pings but cannot generate', async () => {
    expect(await call('fal', 'GET', '/ping', [['Authorization', 'Key fal-free']])).toBe(200);
    expect(await call('fal', 'POST', '/fal-ai/flux/dev', [['Authorization', 'Key fal-free']])).toBe(401);
    expect(await call('fal', 'POST', '/fal-ai/flux/dev', [['Authorization', 'Bearer fal-paid']])).toBe(401);
    expect(await call('fal', 'POST', '/fal-ai/flux/dev', [['Authorization', 'Key fal-paid']])).toBe(200);
  });

  test('Pinecone-like (Api-Key) and OpenRouter-like (Bearer, OpenAI-compatible)', async () => {
    expect(await call('pinecone', 'GET', '/indexes', [['Api-Key', 'pc-authlab']])).toBe(200);
    expect(await call('pinecone', 'GET', '/indexes', [['Authorization', 'Bearer pc-authlab']])).toBe(401);
    expect(await call('openrouter', 'POST', '/api/v1/chat/completions', [['Authorization', 'Bearer sk-or-authlab']])).toBe(200);
  });
});
