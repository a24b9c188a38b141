import { check } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import {
  type CallState,
  deployCall,
  deployed,
  editAndRun,
  EXTERNAL_STACK,
  headerOf,
  openAiChat,
  openAiCredential,
  runCall,
  secretOf,
  sentToProvider,
  DOCTOR_FROM_EXECUTION,
} from './support.ts';

// --- A2: project keys ---------------------------------------------------------------------------

export const projectKey = defineScenario<CallState>({
  id: 'external.project-key-without-project-header',
  title: "a project key (sk-proj-) in n8n's OpenAI credential is refused: n8n sends no OpenAI-Project header",
  guide: {
    section: 'A2',
    claim: "sk-proj- keys need an OpenAI-Project header, which n8n's built-in OpenAI credential does not send",
    fix: 'option 1: a classic key; option 2: the HTTP Request node with Authorization and OpenAI-Project set by hand',
  },
  predicts: { outcome: 'rejected' },
  stack: EXTERNAL_STACK,
  fault: (ctx) => deployed(ctx, openAiChat(ctx, 'OPENAI_PROJECT_KEY')),
  symptom: (ctx, state) => runCall(ctx, state, 'the project key in the OpenAI credential'),
  // The mock plays OpenAI as the guide describes it: a project key without its project is refused.
  proveFromRequest: (symptom) => {
    const sent = sentToProvider(symptom);
    return [
      check(
        'n8n sent the project key without an OpenAI-Project header',
        sent !== undefined && headerOf(sent, 'openai-project') === undefined,
        `headers sent: ${sent?.request.headers.map(([k]) => k).join(', ') ?? '(no request)'}`,
      ),
    ];
  },
  doctor: DOCTOR_FROM_EXECUTION,
  remedies: [
    editAndRun('option 1: a classic (user) key in the credential', 'guide', (ctx) => openAiCredential(ctx, 'OPENAI_KEY'), 'a classic key'),
    {
      name: 'option 2: HTTP Request node with Authorization: Bearer sk-proj-... and OpenAI-Project set by hand',
      source: 'guide',
      apply: async (ctx, state) => {
        state.deployed = await deployCall(ctx, {
          provider: 'openai',
          method: 'POST',
          path: '/v1/chat/completions',
          credential: { type: 'httpHeaderAuth', name: 'Authorization', value: `Bearer ${secretOf(ctx, 'OPENAI_PROJECT_KEY')}` },
          extraHeader: ['OpenAI-Project', secretOf(ctx, 'OPENAI_PROJECT')],
        });
      },
      probe: (ctx, state) => runCall(ctx, state, 'both headers by hand'),
    },
    {
      name: "the OpenAI credential's own custom header: OpenAI-Project",
      source: 'tried',
      apply: async (ctx, state) => {
        state.deployed = await deployCall(ctx, openAiChat(ctx, 'OPENAI_PROJECT_KEY', ['OpenAI-Project', secretOf(ctx, 'OPENAI_PROJECT')]));
      },
      probe: (ctx, state) => runCall(ctx, state, 'the project key with the credential custom header'),
    },
  ],
});
