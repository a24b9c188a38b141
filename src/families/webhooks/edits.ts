import { check } from '../../core/probes.ts';
import type { AnyScenario, Check, ScenarioContext } from '../../core/types.ts';
import { type HookCase, type HookState, hookScenario, sendRightAuth } from './factory.ts';
import { createHookCredential, credentialData, HOOK_HEADER, isActive, newSecrets, publishWorkflow, unpublishWorkflow, waitUntilServed } from './hooks.ts';

/** The credential's value changed in place (Credentials > edit), the workflow left as published. */
async function editValue(ctx: ScenarioContext, state: HookState): Promise<Check[]> {
  const { hook } = state;
  state.previous = hook.secrets;
  hook.secrets = { ...hook.secrets, headerValue: newSecrets().headerValue };
  const answer = await ctx.n8n.client.call('PATCH', `/rest/credentials/${hook.credentialId}`, {
    body: { name: 'webhook headerAuth', type: 'httpHeaderAuth', data: credentialData('headerAuth', hook.secrets) },
  });
  return [check('n8n saved the edited credential (the workflow was not published again)', answer.status === 200, `PATCH /rest/credentials: ${answer.status}`)];
}

interface StoredWorkflow {
  versionId?: string;
  name: string;
  nodes: Array<Record<string, unknown> & { type: string }>;
  connections: unknown;
  settings?: unknown;
}

/**
 * The Webhook node switched to a new Header Auth credential and the workflow saved as the editor
 * saves it (PATCH /rest/workflows/{id}), not published: on n8n 2.x a saved change is a draft
 * beside the published version; on 1.x saving an active workflow is all there is.
 */
async function saveNodeDraft(ctx: ScenarioContext, state: HookState): Promise<Check[]> {
  const { hook } = state;
  state.previous = hook.secrets;
  hook.secrets = newSecrets();
  hook.credentialId = await createHookCredential(ctx, 'headerAuth', credentialData('headerAuth', hook.secrets));
  const stored = (await ctx.n8n.client.call('GET', `/rest/workflows/${hook.id}`)).json as { data: StoredWorkflow };
  const { versionId, name, nodes, connections, settings } = stored.data;
  const credentials = { httpHeaderAuth: { id: hook.credentialId, name: 'webhook headerAuth' } };
  const body = { versionId, name, connections, settings, nodes: nodes.map((n) => (n.type === 'n8n-nodes-base.webhook' ? { ...n, credentials } : n)) };
  const saved = await ctx.n8n.client.call('PATCH', `/rest/workflows/${hook.id}`, { body });
  const { evidence } = await isActive(ctx, hook.id);
  return [
    check(
      "the editor's save of the Webhook node on a new credential was accepted (nothing published)",
      saved.status === 200,
      `PATCH /rest/workflows/${hook.id}: ${saved.status}${saved.status === 200 ? '' : ` ${saved.text.slice(0, 160)}`}; then ${evidence}`,
    ),
  ];
}

async function republish(ctx: ScenarioContext, state: HookState): Promise<Check[]> {
  const off = await unpublishWorkflow(ctx, state.hook);
  const on = await publishWorkflow(ctx, state.hook);
  if (on.response?.status === 200) await waitUntilServed(ctx, state.hook);
  const ok = off.response?.status === 200 && on.response?.status === 200;
  return [check('n8n unpublished and published the workflow again', ok, `${off.label}: ${off.response?.status}; ${on.label}: ${on.response?.status}`)];
}

const PUBLISH_AGAIN = 'publish the workflow again (n8n 1.x: deactivate and activate)';

/** An edit made without publishing again: the new value judged, the old one shown; fixed by publishing again. */
function editCase(c: Pick<HookCase, 'id' | 'title' | 'guide' | 'alter'>): AnyScenario {
  return hookScenario({
    ...c,
    predicts: { outcome: 'forbidden', says: 'Authorization data is wrong!' },
    auth: 'headerAuth',
    symptom: [
      { call: ({ hook }) => ({ label: `${HOOK_HEADER} with the new value, right after the edit`, headers: [[HOOK_HEADER, hook.secrets.headerValue]] }) },
      {
        call: ({ previous }) => ({ label: `${HOOK_HEADER} with the old value (shown, not judged)`, headers: [[HOOK_HEADER, previous?.headerValue ?? '']] }),
        context: true,
      },
    ],
    remedies: [{ ...sendRightAuth('unpublish and publish the workflow again, then send the new value'), apply: republish }],
  });
}

const credentialEdited = editCase({
  id: 'webhooks.credential-edited-unpublished',
  title: 'a Webhook credential edited without publishing the workflow again keeps the old value in force',
  guide: {
    section: 'not in the guide',
    claim: "after editing a Webhook's credential, the old value stays in force (the new one is refused as wrong) until the workflow is published again",
    fix: PUBLISH_AGAIN,
  },
  alter: editValue,
});

const nodeDraft = editCase({
  id: 'webhooks.node-credential-draft-unpublished',
  title: 'a Webhook node switched to another credential and saved, not published, keeps the old credential in force',
  guide: {
    section: 'not in the guide',
    claim: 'a Webhook node saved with another credential keeps the published one in force until the workflow is published again (n8n 2.x drafts)',
    fix: PUBLISH_AGAIN,
  },
  alter: saveNodeDraft,
});

export const editScenarios = [credentialEdited, nodeDraft];
