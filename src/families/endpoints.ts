import type { Exchange } from '../parts/client/exchange.ts';
import { API_KEY_HEADER, PUBLIC_WORKFLOWS, check, n8nEnv, send, sendKey, sendKeyRemedy, wireShows } from '../core/probes.ts';
import { defineScenario, required } from '../core/define.ts';
import { defineFamily } from '../core/family.ts';
import type { Check, ScenarioContext } from '../core/types.ts';
import { createScopedKey } from './scoped-key.ts';
import { DEFAULT_STACK } from './stacks.ts';
import { namesUnlessAccepted } from '../core/scenario-doctor.ts';

const withKey = (ctx: ScenarioContext): Array<[string, string]> => [[API_KEY_HEADER, ctx.n8n.apiKey.rawApiKey]];

const restWithApiKey = defineScenario({
  id: 'endpoints.rest-with-api-key',
  title: '/rest/workflows never accepts an API key (401), /api/v1/workflows does',
  guide: {
    section: 'B',
    claim: 'If you are hitting /rest/workflows with your API key, you will always get 401',
    fix: 'use the public API path /api/v1/workflows',
  },
  predicts: { outcome: 'rejected' },
  stack: DEFAULT_STACK,
  symptom: async (ctx) => [await send(ctx, 'a valid key on /rest/workflows', withKey(ctx), { path: '/rest/workflows' })],
  proveFromRequest: ([e]) => [wireShows('a valid key went to /rest/workflows', e!, (w) => w.startsWith('GET /rest/workflows ') && /X-N8N-API-KEY: /.test(w))],
  remedies: [sendKeyRemedy('call /api/v1/workflows instead', 'guide')],
  doctor: { names: 'rest-endpoint-with-key', input: (_ctx, phase) => (phase === 'broken' ? { path: '/rest/workflows' } : {}) },
});

/** Paths a user gets wrong: a typo in the resource, no version, no /api prefix. */
const WRONG_PATHS = ['/api/v1/workflow', '/api/workflows', '/v1/workflows'];

const wrongPath = defineScenario({
  id: 'endpoints.wrong-path-404',
  title: 'a wrong endpoint path answers 404',
  guide: { section: 'F', claim: "If you see 404: you're hitting the wrong endpoint path", fix: 'call /api/v1/workflows' },
  predicts: { outcome: 'not-found' },
  stack: DEFAULT_STACK,
  symptom: async (ctx) => {
    const out: Exchange[] = [];
    for (const path of WRONG_PATHS) out.push(await send(ctx, `a valid key on ${path}`, withKey(ctx), { path }));
    return out;
  },
  proveFromRequest: (symptom) => symptom.map((e, i) => wireShows(`the request line names ${WRONG_PATHS[i]}`, e, (w) => w.startsWith(`GET ${WRONG_PATHS[i]} `))),
  remedies: [sendKeyRemedy('call /api/v1/workflows', 'guide')],
  doctor: { names: 'wrong-api-path', input: (_ctx, phase) => (phase === 'broken' ? { path: WRONG_PATHS[0] } : {}) },
});

const publicApiDisabled = defineScenario({
  id: 'endpoints.public-api-disabled',
  title: 'with N8N_PUBLIC_API_DISABLED=true the right path and a valid key answer 404',
  guide: { section: 'F', claim: 'a valid key on /api/v1/workflows gives 200; a 404 means a wrong endpoint path', fix: 'check the endpoint path' },
  predicts: { outcome: 'accepted' },
  stack: DEFAULT_STACK,
  fault: async (ctx) => {
    ctx.progress('restarting n8n with N8N_PUBLIC_API_DISABLED=true');
    await ctx.stack.replacePrimary({ env: { N8N_PUBLIC_API_DISABLED: 'true' } });
    const value = await n8nEnv(ctx, 'N8N_PUBLIC_API_DISABLED');
    return { proof: [check("N8N_PUBLIC_API_DISABLED=true is in n8n's environment", value === 'true', `printenv -> ${value || '(unset)'}`)] };
  },
  symptom: async (ctx) => [await sendKey(ctx, 'a valid key on the right path, public API disabled')],
  remedies: [
    sendKeyRemedy("the guide's fix: the path is already /api/v1/workflows, nothing to change", 'guide'),
    {
      name: 'unset N8N_PUBLIC_API_DISABLED and restart n8n',
      source: 'correct',
      apply: async (ctx): Promise<Check[]> => {
        ctx.progress('restarting n8n without N8N_PUBLIC_API_DISABLED');
        await ctx.stack.replacePrimary({ unset: ['N8N_PUBLIC_API_DISABLED'] });
        const value = await n8nEnv(ctx, 'N8N_PUBLIC_API_DISABLED');
        return [check('N8N_PUBLIC_API_DISABLED is unset', value === '', `printenv -> ${value || '(unset)'}`)];
      },
      probe: async (ctx) => [await sendKey(ctx, 'the same key, public API enabled')],
    },
  ],
  // n8n 2.x answers a disabled API like a refused key; signed in, its settings say publicApi.enabled false (1.x answers 404).
  doctor: { names: 'public-api-disabled', input: (ctx) => ({ owner: ctx.n8n.owner }) },
});

/** The narrowest key: it may list workflows, nothing else. */
const NARROW_SCOPES = ['workflow:list'];

/** The narrow key n8n created, if it did (the proof says why not). */
interface NarrowKey {
  narrowKey: string | undefined;
}

const narrowKeyOf = (state: NarrowKey) => required(state.narrowKey, 'the workflow:list key (n8n did not create it)');

const keyScopes = defineScenario<NarrowKey>({
  id: 'endpoints.key-scopes',
  refusalKeepsOut: 'a key without the scope the endpoint needs',
  title: 'a key without the scope an endpoint needs is refused with 401',
  guide: {
    section: '1',
    claim: 'Multiple API keys (Enterprise): the request uses a key not allowed for the call, and n8n answers 401',
    fix: 'use a key assigned the needed access',
  },
  predicts: { outcome: 'rejected' },
  stack: DEFAULT_STACK,
  fault: async (ctx) => {
    const { key, proof } = await createScopedKey(ctx, 'authlab-narrow', NARROW_SCOPES, 'execution:list');
    return { proof, state: { narrowKey: key } };
  },
  symptom: async (ctx, state) => [
    await send(ctx, 'the workflow:list key on GET /api/v1/executions', [[API_KEY_HEADER, narrowKeyOf(state)]], { path: '/api/v1/executions' }),
  ],
  remedies: [
    {
      name: 'the same narrow key on an endpoint its scope covers (GET /api/v1/workflows)',
      source: 'correct',
      probe: async (ctx, state) => [
        await send(ctx, 'the workflow:list key on GET /api/v1/workflows', [[API_KEY_HEADER, narrowKeyOf(state)]], { path: PUBLIC_WORKFLOWS }),
      ],
    },
    sendKeyRemedy('use a key with every scope', 'guide'),
  ],
  doctor: {
    names: namesUnlessAccepted('key-scope-missing'),
    input: (_ctx, phase, state) => ({ key: narrowKeyOf(state), path: phase === 'broken' ? '/api/v1/executions' : PUBLIC_WORKFLOWS }),
  },
});

export const endpointsFamily = defineFamily('endpoints', 'Endpoints: /rest vs /api/v1, verification codes, scopes', [
  restWithApiKey,
  wrongPath,
  publicApiDisabled,
  keyScopes,
]);
