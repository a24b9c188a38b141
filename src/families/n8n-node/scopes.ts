import { registerSecret } from '../../base/secrets.ts';
import { defineScenario } from '../../core/define.ts';
import { check } from '../../core/probes.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { BASE_URLS, deployNodeCall, DOCTOR_FROM_NODE_EXECUTION, editCall, N8N_NODE_STACK, runNodeCall, type NodeState } from './support.ts';

/** The key may list workflows; the node lists executions, which needs execution:list. */
const KEY_SCOPES = ['workflow:list'];
const NEEDED = 'execution:list';

/** Asks n8n for a key with only KEY_SCOPES; what it grants is n8n's behaviour (unlicensed builds may grant every scope), shown in the proof. */
async function narrowKey(ctx: ScenarioContext) {
  const answer = await ctx.n8n.client.requestApiKey({ label: `authlab-n8n-node-${KEY_SCOPES.join('-')}`, expiresAt: null, scopes: KEY_SCOPES });
  const data = (answer.json as { data?: { rawApiKey?: string; scopes?: string[] } } | undefined)?.data;
  if (!data?.rawApiKey) throw new Error(`n8n did not create a key with ${KEY_SCOPES.join(', ')}: ${answer.status} ${answer.text.slice(0, 200)}`);
  const granted = data.scopes
    ? `n8n granted ${data.scopes.length} scope(s)${data.scopes.includes(NEEDED) ? `, ${NEEDED} among them` : `, not ${NEEDED}`}`
    : 'no scopes in its answer';
  return { key: registerSecret(data.rawApiKey, 'api-key'), proof: check(`a key asked for with only ${KEY_SCOPES.join(', ')} was created`, true, granted) };
}

export const keyWithoutScope = defineScenario<NodeState>({
  id: 'n8n-node.key-without-scope',
  refusalKeepsOut: 'a key without the scope, to list executions',
  title: `the n8n node listing executions with a key that may only list workflows fails with "Forbidden"`,
  guide: {
    section: 'not in the guide',
    claim: `an n8n API credential whose key lacks the operation's scope (${NEEDED}) fails the n8n node: "Forbidden - perhaps check your credentials?"`,
    fix: 'give the credential a key with the scopes the operation needs',
  },
  predicts: { outcome: 'forbidden', says: 'Forbidden' },
  stack: N8N_NODE_STACK,
  fault: async (ctx) => {
    const { key, proof } = await narrowKey(ctx);
    return { proof: [proof], state: await deployNodeCall(ctx, { resource: 'execution', baseUrl: BASE_URLS.serviceName, apiKey: key }) };
  },
  symptom: (ctx, state) => runNodeCall(ctx, state, `a ${KEY_SCOPES.join(', ')} key listing executions`),
  doctor: DOCTOR_FROM_NODE_EXECUTION,
  remedies: [
    editCall(
      'a key with every scope in the credential',
      'guide',
      (ctx, call) => ({ ...call, apiKey: ctx.n8n.apiKey.rawApiKey }),
      'a key with every scope listing executions',
    ),
  ],
});
