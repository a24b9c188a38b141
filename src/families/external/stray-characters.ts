import { escapeBytes } from '../../parts/client/exchange.ts';
import { mask } from '../../base/secrets.ts';
import type { ProviderName } from '../../parts/providers/catalog.ts';
import { check } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import type { AnyScenario, ScenarioInfo } from '../../core/types.ts';
import {
  bearerCall,
  type CallState,
  deployCall,
  deployed,
  editAndRun,
  EXTERNAL_STACK,
  headerOf,
  runCall,
  secretOf,
  type SecretSource,
  sentToProvider,
  type ThirdPartyCall,
  DOCTOR_FROM_EXECUTION,
} from './support.ts';

// --- A1: invisible characters pasted with the key --------------------------------------------

/** A stray character scenario: its id written in full (`external.key-with-zwsp`), and the character and the call it rides on. */
type StrayCharacter = Pick<ScenarioInfo, 'id'> & {
  what: string;
  /** Where it sits in the pasted value. */
  paste: (value: string) => string;
  /** How it shows in escaped UTF-8 bytes (escapeBytes), in the credential and on the wire. */
  bytes: RegExp;
  provider: ProviderName;
  call: (ctx: SecretSource, value: string) => ThirdPartyCall;
  clean: (ctx: SecretSource) => string;
};

const STRAY: StrayCharacter[] = [
  {
    id: 'external.key-with-zwsp',
    what: 'a zero-width space',
    paste: (v) => `${v}\u200b`,
    bytes: /\\xe2\\x80\\x8b/,
    provider: 'openrouter',
    call: bearerCall('openrouter', '/api/v1/chat/completions'),
    clean: (ctx) => `Bearer ${secretOf(ctx, 'OPENROUTER_KEY')}`,
  },
  {
    id: 'external.key-with-nbsp',
    what: 'a non-breaking space',
    paste: (v) => `${v}\u00a0`,
    bytes: /\\xc2\\xa0/,
    provider: 'pinecone',
    call: (_ctx, value) => ({ provider: 'pinecone', method: 'GET', path: '/indexes', credential: { type: 'httpHeaderAuth', name: 'Api-Key', value } }),
    clean: (ctx) => secretOf(ctx, 'PINECONE_KEY'),
  },
  {
    id: 'external.key-with-bom',
    what: 'a byte-order mark',
    paste: (v) => v.replace(/^(Bearer )?/, (m) => `${m}\ufeff`),
    bytes: /\\xef\\xbb\\xbf/,
    provider: 'bearer-api',
    call: bearerCall('bearer-api', '/v1/me', 'GET'),
    clean: (ctx) => `Bearer ${secretOf(ctx, 'BEARER_API_TOKEN')}`,
  },
  {
    id: 'external.key-with-trailing-newline',
    what: 'a trailing newline',
    paste: (v) => `${v}\n`,
    bytes: /\\n$/,
    provider: 'openai',
    call: bearerCall('openai', '/v1/chat/completions'),
    clean: (ctx) => `Bearer ${secretOf(ctx, 'OPENAI_KEY')}`,
  },
];

/** The call as the fault deploys it: the key pasted with the stray character. */
const strayCall = (stray: StrayCharacter, ctx: SecretSource) => stray.call(ctx, stray.paste(stray.clean(ctx)));

function strayCharacterScenario(stray: StrayCharacter): AnyScenario {
  return defineScenario<CallState>({
    id: stray.id,
    title: `a key pasted into the credential with ${stray.what} is sent with it, and the ${stray.provider} API answers 401`,
    guide: {
      section: 'A1',
      claim: 'invisible characters pasted with a key (zero-width spaces, non-breaking spaces) tag along; the API answers 401 inside n8n',
      fix: 'delete the key from the credential and retype it',
    },
    predicts: { outcome: 'rejected' },
    stack: EXTERNAL_STACK,
    // The fault is in what n8n stored; what it then sends (the character, nothing, or a cleaned key) is the observation.
    fault: async (ctx) => {
      const pasted = stray.paste(stray.clean(ctx));
      const deployed = await deployCall(ctx, strayCall(stray, ctx));
      const saved = deployed.credentialId !== '';
      return {
        proof: [
          check(
            `n8n saved the credential with ${stray.what} in it`,
            saved && stray.bytes.test(escapeBytes(Buffer.from(pasted))),
            mask(escapeBytes(Buffer.from(pasted))),
          ),
        ],
        state: { deployed },
      };
    },
    symptom: (ctx, state) => runCall(ctx, state, `the key with ${stray.what}`),
    doctor: DOCTOR_FROM_EXECUTION,
    remedies: [
      editAndRun('delete the key from the credential and retype it', 'guide', (ctx) => stray.call(ctx, stray.clean(ctx)).credential, 'the retyped key'),
    ],
  });
}

// --- A1: the wrong authentication format -----------------------------------------------------

const missingBearerCall = (ctx: SecretSource) => bearerCall('openai', '/v1/chat/completions')(ctx, secretOf(ctx, 'OPENAI_KEY'));

export const missingBearer = defineScenario<CallState>({
  id: 'external.header-auth-without-bearer',
  title: 'Header Auth with Authorization: sk-... where the API wants Bearer sk-... gets 401',
  guide: {
    section: 'A1',
    claim: 'Header Auth with name Authorization and value sk-xxx (without the word Bearer) fails',
    fix: 'the value must be Bearer sk-xxx',
  },
  predicts: { outcome: 'rejected' },
  stack: EXTERNAL_STACK,
  fault: (ctx) => deployed(ctx, missingBearerCall(ctx)),
  symptom: (ctx, state) => runCall(ctx, state, 'Authorization: sk-...'),
  proveFromRequest: (symptom) => {
    const value = headerOf(sentToProvider(symptom), 'authorization');
    return [
      check('the provider received the key without "Bearer "', value !== undefined && !value.startsWith('Bearer '), `authorization: ${value ?? '(none)'}`),
    ];
  },
  doctor: DOCTOR_FROM_EXECUTION,
  remedies: [
    editAndRun(
      'set the Header Auth value to Bearer sk-...',
      'guide',
      (ctx) => ({ type: 'httpHeaderAuth', name: 'Authorization', value: `Bearer ${secretOf(ctx, 'OPENAI_KEY')}` }),
      'Authorization: Bearer sk-...',
    ),
  ],
});

export const strayCharacterScenarios = STRAY.map(strayCharacterScenario);

/** The call each scenario's fault deploys, by scenario id, and the provider it calls: what a lab export sets up in its own n8n. */
export const FAULTY_CALLS: Record<string, { provider: ProviderName; call: (ctx: SecretSource) => ThirdPartyCall }> = {
  ...Object.fromEntries(STRAY.map((stray) => [stray.id, { provider: stray.provider, call: (ctx: SecretSource) => strayCall(stray, ctx) }])),
  [missingBearer.id]: { provider: 'openai', call: missingBearerCall },
};
