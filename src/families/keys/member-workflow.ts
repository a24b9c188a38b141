import { API_KEY_HEADER, check, send } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { N8nRequestError } from '../../parts/client/n8n-client.ts';
import { DEFAULT_STACK } from '../stacks.ts';
import { addMember } from './member.ts';

/** A member's key, and a workflow of the owner's that the member was never given. */
interface ForeignWorkflow {
  memberKey: string;
  workflowId: string;
  memberProjectId: string | undefined;
}

const workflowPath = (id: string) => `/api/v1/workflows/${id}`;

const memberGets = (ctx: ScenarioContext, label: string, { memberKey, workflowId }: ForeignWorkflow) =>
  send(ctx, label, [[API_KEY_HEADER, memberKey]], { path: workflowPath(workflowId) });

/** The owner's call that gives the member the workflow, as proof of the fix's step. */
async function ownerMoves(ctx: ScenarioContext, what: string, method: string, path: string, body: unknown): Promise<Check> {
  const answer = await ctx.n8n.client.call(method, path, { body, headers: { [API_KEY_HEADER]: ctx.n8n.apiKey.rawApiKey } });
  return check(what, answer.status >= 200 && answer.status < 300, `${method} ${path} -> ${answer.status} ${answer.text.slice(0, 120)}`);
}

const memberKeyForeignWorkflow = defineScenario<ForeignWorkflow>({
  id: 'keys.member-key-foreign-workflow',
  refusalKeepsOut: "a member, into a workflow of the owner's",
  title: "a member's key on a workflow of the owner's is refused; its listing leaves the workflow out",
  guide: {
    section: '1',
    claim: 'Multiple API keys (Enterprise): the request uses a key not assigned to the calling user, and n8n answers 401 "API key not recognized"',
    fix: 'use the key of the user the resource belongs to',
  },
  predicts: { outcome: 'rejected' },
  stack: DEFAULT_STACK,
  fault: async (ctx) => {
    const member = await addMember(ctx, 'viewer');
    const created = await ctx.n8n.client.publicApi('POST', '/workflows', ctx.n8n.apiKey.rawApiKey, {
      name: 'authlab owner-only workflow',
      nodes: [],
      connections: {},
      settings: {},
    });
    const workflowId = (created.json as { id?: string } | undefined)?.id;
    if (created.status !== 200 || !workflowId) throw new N8nRequestError("creating the owner's workflow", created);
    const ownerSees = await ctx.n8n.client.publicApi('GET', `/workflows/${workflowId}`, ctx.n8n.apiKey.rawApiKey);
    const proof = [
      ...member.proof,
      check(
        "the member's personal project is known (where a workflow must be for its key)",
        Boolean(member.projectId),
        `GET /rest/projects/personal as the member -> ${member.projectId ? 'an id' : 'none'}`,
      ),
      check(
        "the workflow exists and is the owner's (the owner's key reads it)",
        ownerSees.status === 200,
        `GET ${workflowPath('<id>')} with the owner's key -> ${ownerSees.status}`,
      ),
    ];
    return { proof, state: { memberKey: member.key, workflowId, memberProjectId: member.projectId } };
  },
  symptom: async (ctx, state) => [await memberGets(ctx, "the member's key on the owner's workflow", state)],
  alongside: async (ctx, { memberKey }) => [
    await send(ctx, "the member's key listing workflows (the owner's is not among them)", [[API_KEY_HEADER, memberKey]]),
  ],
  remedies: [
    {
      name: "use the key of the user the workflow belongs to (the owner's)",
      source: 'guide',
      probe: async (ctx, { workflowId }) => [
        await send(ctx, "the owner's key on the workflow", [[API_KEY_HEADER, ctx.n8n.apiKey.rawApiKey]], { path: workflowPath(workflowId) }),
      ],
    },
    {
      name: "share the workflow with the member's project (the editor's Share, PUT /rest/workflows/<id>/share)",
      source: 'tried',
      apply: async (ctx, { workflowId, memberProjectId }) => [
        await ownerMoves(ctx, "the owner shared the workflow with the member's project", 'PUT', `/rest/workflows/${workflowId}/share`, {
          shareWithIds: [memberProjectId],
        }),
      ],
      probe: async (ctx, state) => [await memberGets(ctx, "the member's key after sharing", state)],
    },
    {
      name: "move the workflow to the member's project (PUT /api/v1/workflows/<id>/transfer with the owner's key)",
      source: 'correct',
      apply: async (ctx, { workflowId, memberProjectId }) => [
        await ownerMoves(ctx, "the owner moved the workflow to the member's project", 'PUT', `/api/v1/workflows/${workflowId}/transfer`, {
          destinationProjectId: memberProjectId,
        }),
      ],
      probe: async (ctx, state) => [await memberGets(ctx, "the member's key after the move", state)],
    },
  ],
  doctor: {
    names: 'resource-not-visible-to-key',
    input: (_ctx, phase, { memberKey, workflowId }) => ({ ...(phase === 'broken' ? { key: memberKey } : {}), path: workflowPath(workflowId) }),
  },
});

export const memberScenarios = [memberKeyForeignWorkflow];
