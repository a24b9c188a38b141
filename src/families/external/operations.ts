import { curlProbe } from '../../parts/client/curl.ts';
import type { Exchange } from '../../parts/client/exchange.ts';
import type { ProviderName } from '../../parts/providers/catalog.ts';
import { check } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import { judgeTestGreenRunFails, testCredential } from '../../core/credentials.ts';
import type { AnyScenario, ScenarioContext, ScenarioInfo } from '../../core/types.ts';
import {
  type CallState,
  type Credential,
  credentialBody,
  deployCall,
  deployed,
  editAndRun,
  EXTERNAL_STACK,
  headerOf,
  openAiChat,
  openAiCredential,
  recreateCredential,
  runCall,
  secretOf,
  sentToProvider,
  type ThirdPartyCall,
  DOCTOR_FROM_EXECUTION,
} from './support.ts';

// --- A3: the credential test passes, the operation fails ------------------------------------

/** n8n's own credential test of the deployed call's credential with these fields. */
function credentialTest(ctx: ScenarioContext, { deployed: d }: CallState, credential: Credential): Promise<Exchange> {
  return testCredential(ctx, { id: d.credentialId, name: `${d.provider} key`, ...credentialBody(credential) });
}

export const restrictedKey = defineScenario<CallState>({
  id: 'external.credential-test-green-execution-401',
  title: "the OpenAI credential's test is green while the workflow's call gets 401 (a key restricted to reading)",
  guide: {
    section: 'A3',
    claim: "n8n's credential test hits a ping endpoint; the operation hits another that may refuse the key with 401",
    fix: 'delete and recreate the credential; test the failing operation; curl the same call; check the plan in the dashboard',
  },
  predicts: { outcome: 'rejected' },
  stack: EXTERNAL_STACK,
  fault: (ctx) => deployed(ctx, openAiChat(ctx, 'OPENAI_RESTRICTED_KEY')),
  symptom: async (ctx, state) => [
    await credentialTest(ctx, state, openAiCredential(ctx, 'OPENAI_RESTRICTED_KEY')),
    ...(await runCall(ctx, state, 'the chat completion')),
  ],
  proveFromRequest: (symptom) => {
    const sent = sentToProvider(symptom);
    return [
      check(
        'the operation reached the provider with the key (the 401 is the provider refusing it)',
        sent?.response?.status === 401,
        `${sent?.request.method ?? ''} ${sent?.request.url ?? '(no request)'} -> ${sent?.response?.status ?? '-'}`,
      ),
    ];
  },
  judge: judgeTestGreenRunFails,
  doctor: DOCTOR_FROM_EXECUTION,
  remedies: [
    {
      name: 'steps 1-2: delete the credential and create a new one from scratch (same key)',
      source: 'guide',
      apply: recreateCredential,
      probe: (ctx, state) => runCall(ctx, state, 'a recreated credential'),
    },
    {
      name: 'step 4: curl the same call with the same key (expected to confirm the key lacks access)',
      source: 'tried',
      expect: 'rejected',
      probe: async (ctx) => {
        const providers = ctx.stack.providers!.container;
        return [
          await curlProbe(
            'curl POST /v1/chat/completions with the key',
            `http://127.0.0.1:${providers.getMappedPort(8080)}/v1/chat/completions`,
            [
              ['Authorization', `Bearer ${secretOf(ctx, 'OPENAI_RESTRICTED_KEY')}`],
              ['Host', 'openai'],
            ],
            'POST',
          ),
        ];
      },
    },
    editAndRun(
      'step 5: a key whose plan or scopes allow the operation',
      'correct',
      (ctx) => openAiCredential(ctx, 'OPENAI_KEY'),
      'a key allowed to call the model',
    ),
  ],
});

/** A3's plan-tier cases: the same key passes the provider's cheap endpoint and is refused the paid operation. */
function planLimited(
  opts: Pick<ScenarioInfo, 'id'> & {
    provider: ProviderName;
    service: string;
    header: string;
    scheme: string;
    freeEnv: string;
    paidEnv: string;
    ping: [string, 'GET' | 'POST'];
    operation: [string, 'GET' | 'POST'];
  },
): AnyScenario {
  const call = (ctx: ScenarioContext, env: string, [path, method]: [string, 'GET' | 'POST']): ThirdPartyCall => ({
    provider: opts.provider,
    method,
    path,
    credential: { type: 'httpHeaderAuth', name: opts.header, value: `${opts.scheme}${secretOf(ctx, env)}` },
  });
  // Another call of its own: the scenario's state keeps the operation's.
  const alongside = async (ctx: ScenarioContext): Promise<Exchange[]> =>
    runCall(ctx, { deployed: await deployCall(ctx, call(ctx, opts.freeEnv, opts.ping)) }, `the same key on ${opts.ping[0]}`);
  return defineScenario<CallState>({
    id: opts.id,
    title: `a ${opts.service} key on a plan without the operation passes ${opts.ping[0]} and gets 401 on ${opts.operation[0]}`,
    guide: {
      section: 'A3',
      claim: `some APIs (${opts.service}) disable operations by plan tier, which returns 401 even with a valid key`,
      fix: "check the external service's dashboard (the plan)",
    },
    predicts: { outcome: 'rejected' },
    stack: EXTERNAL_STACK,
    fault: (ctx) => deployed(ctx, call(ctx, opts.freeEnv, opts.operation)),
    symptom: (ctx, state) => runCall(ctx, state, `the free-plan key on ${opts.operation[0]}`),
    proveFromRequest: (symptom) => {
      const value = headerOf(sentToProvider(symptom), opts.header);
      return [
        check(`the provider received the key in ${opts.header}`, value !== undefined && value.startsWith(opts.scheme), `${opts.header}: ${value ?? '(none)'}`),
      ];
    },
    // The key itself is valid: the provider's cheap endpoint accepts it.
    alongside,
    doctor: DOCTOR_FROM_EXECUTION,
    remedies: [
      editAndRun(
        'a key on a plan that includes the operation',
        'correct',
        (ctx) => call(ctx, opts.paidEnv, opts.operation).credential,
        `the paid-plan key on ${opts.operation[0]}`,
      ),
    ],
  });
}

export const planLimitedScenarios = [
  planLimited({
    id: 'external.elevenlabs-plan-refuses-operation',
    provider: 'elevenlabs',
    service: 'ElevenLabs',
    header: 'xi-api-key',
    scheme: '',
    freeEnv: 'ELEVENLABS_FREE_KEY',
    paidEnv: 'ELEVENLABS_PAID_KEY',
    ping: ['/v1/user', 'GET'],
    operation: ['/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM', 'POST'],
  }),
  planLimited({
    id: 'external.fal-plan-refuses-operation',
    provider: 'fal',
    service: 'fal.ai',
    header: 'Authorization',
    scheme: 'Key ',
    freeEnv: 'FAL_FREE_KEY',
    paidEnv: 'FAL_PAID_KEY',
    ping: ['/ping', 'GET'],
    operation: ['/fal-ai/flux/dev', 'POST'],
  }),
];
