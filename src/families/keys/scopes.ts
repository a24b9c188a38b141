import { API_KEY_HEADER, check, send } from '../../core/probes.ts';
import { defineScenario, required } from '../../core/define.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { createScopedKey } from '../scoped-key.ts';
import { DEFAULT_STACK } from '../stacks.ts';

/** Keys that may read workflows only, and read and create them. */
const READ_SCOPES = ['workflow:read', 'workflow:list'];
const WRITE_SCOPE = 'workflow:create';

interface ReadOnlyKey {
  readKey: string | undefined;
  writeKey: string | undefined;
}

/** POST /api/v1/workflows with a key: a write its scopes decide (n8n creates the workflow if it lets the call through). */
function createWorkflowWith(ctx: ScenarioContext, label: string, key: string) {
  const workflow = { name: `authlab ${label}`, nodes: [], connections: {}, settings: {} };
  return send(ctx, label, [[API_KEY_HEADER, key]], { json: workflow });
}

const readScopeWrite = defineScenario<ReadOnlyKey>({
  id: 'keys.read-scope-write',
  refusalKeepsOut: 'a read-only key, to write',
  title: 'a key with read scopes only is refused when it creates a workflow',
  guide: {
    section: '1',
    claim: 'Multiple API keys (Enterprise): the request uses a key not allowed for the call (a read-only key writing), and n8n answers 401',
    fix: 'use a key assigned the needed access',
  },
  predicts: { outcome: 'rejected' },
  stack: DEFAULT_STACK,
  // Whether a version enforces the scopes it stores is its behaviour: the proof records what it granted, the symptom what it did.
  fault: async (ctx) => {
    const read = await createScopedKey(ctx, 'authlab-read-only', READ_SCOPES, WRITE_SCOPE);
    const write = await ctx.n8n.client.createApiKey({ label: 'authlab-read-and-create', scopes: [...READ_SCOPES, WRITE_SCOPE] });
    const reads = read.key ? (await ctx.n8n.client.publicApi('GET', '/workflows', read.key)).status : undefined;
    const proof = [...read.proof, check('the read-only key reads (GET /api/v1/workflows)', reads === 200, `GET /api/v1/workflows -> ${reads ?? 'no key'}`)];
    return { proof, state: { readKey: read.key, writeKey: write.rawApiKey } };
  },
  symptom: async (ctx, state) => [await createWorkflowWith(ctx, 'the read-only key creating a workflow', required(state.readKey, 'the read-only key'))],
  remedies: [
    {
      name: `a key created with ${WRITE_SCOPE} among its scopes`,
      source: 'correct',
      probe: async (ctx, state) => [
        await createWorkflowWith(ctx, `the key with ${WRITE_SCOPE} creating a workflow`, required(state.writeKey, 'the read-and-create key')),
      ],
    },
    {
      name: 'use a key with every scope',
      source: 'guide',
      probe: async (ctx) => [await createWorkflowWith(ctx, 'the key with every scope creating a workflow', ctx.n8n.apiKey.rawApiKey)],
    },
  ],
  doctorBlind: 'the doctor only reads (GET), never writes to a live n8n: a key without a write scope works on every request it makes',
});

export const scopeScenarios = [readScopeWrite];
