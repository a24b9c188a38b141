import { http, HttpResponse } from 'msw';
import { rawHeader } from './raw-headers.ts';
import type { ProviderDefinition } from './types.ts';

const unauthorized = (message: string) =>
  HttpResponse.json({ error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }, { status: 401 });

/**
 * An OpenAI-like API (also what OpenAI-compatible APIs such as OpenRouter copy): `Authorization:
 * Bearer <key>`. As the guide describes it, a project key (`sk-proj-`) also needs the project in
 * `OpenAI-Project`.
 */
function openAiLike(name: string, env: { key: string; projectKey?: string; project?: string; restrictedKey?: string }, base = '/v1'): ProviderDefinition {
  return {
    name,
    secretEnv: [env.key, ...[env.projectKey, env.project, env.restrictedKey].filter((e): e is string => e !== undefined)],
    handlers: (vars) => {
      // A restricted key may list models but not call them (OpenAI answers 401 for missing scopes).
      const authorize = (request: Request, operation: 'read' | 'request') => {
        const auth = rawHeader(request, 'authorization');
        const restricted = env.restrictedKey ? vars[env.restrictedKey] : undefined;
        if (restricted && auth === `Bearer ${restricted}`) {
          return operation === 'read' ? undefined : unauthorized('You have insufficient permissions for this operation. Missing scopes: model.request.');
        }
        if (auth === undefined)
          return unauthorized(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          );
        const projectKey = env.projectKey ? vars[env.projectKey] : undefined;
        if (projectKey && auth === `Bearer ${projectKey}`) {
          if (rawHeader(request, 'openai-project') !== vars[env.project ?? ''])
            return unauthorized('Project key used without its project: set the OpenAI-Project header to the project the key belongs to.');
          return undefined;
        }
        if (auth !== `Bearer ${vars[env.key] ?? ''}`) return unauthorized('Incorrect API key provided.');
        return undefined;
      };
      return [
        http.get(
          `*${base}/models`,
          ({ request }) => authorize(request, 'read') ?? HttpResponse.json({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: name }] }),
        ),
        http.post(
          `*${base}/chat/completions`,
          ({ request }) =>
            authorize(request, 'request') ??
            HttpResponse.json({
              id: 'chatcmpl-authlab',
              object: 'chat.completion',
              model: 'gpt-4o-mini',
              choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            }),
        ),
      ];
    },
  };
}

export const openAi = openAiLike('openai', {
  key: 'OPENAI_KEY',
  projectKey: 'OPENAI_PROJECT_KEY',
  project: 'OPENAI_PROJECT',
  restrictedKey: 'OPENAI_RESTRICTED_KEY',
});
export const openRouter = openAiLike('openrouter', { key: 'OPENROUTER_KEY' }, '/api/v1');
