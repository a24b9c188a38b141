import { API_KEY_HEADER, check, send } from '../../core/probes.ts';
import { defineScenario, required } from '../../core/define.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { DEFAULT_STACK } from '../stacks.ts';
import { addMember } from './member.ts';

/** A key's answer on GET /api/v1/workflows, as the evidence of a fault's proof. */
async function keyAnswers(ctx: ScenarioContext, key: string): Promise<number> {
  return (await ctx.n8n.client.publicApi('GET', '/workflows', key)).status;
}

const sendWith = (ctx: ScenarioContext, label: string, key: string) => send(ctx, label, [[API_KEY_HEADER, key]]);

/** The key before a rotation, and the one that replaced it. */
interface Rotated {
  oldKey: string;
  newKey: string;
}

const deletedKey = defineScenario<Rotated>({
  id: 'keys.deleted-key',
  refusalKeepsOut: 'whoever still holds the deleted key',
  title: 'a key deleted in Settings > n8n API (rotated) is refused at once; the new key works',
  guide: {
    section: '6',
    claim: 'Regenerate the key: the old key stops working instantly, so all existing clients must be updated',
    fix: 'update every client with the new key',
  },
  predicts: { outcome: 'rejected' },
  stack: DEFAULT_STACK,
  fault: async (ctx) => {
    const old = await ctx.n8n.client.createApiKey({ label: 'authlab-before-rotation' });
    const before = await keyAnswers(ctx, old.rawApiKey);
    const replacement = await ctx.n8n.client.createApiKey({ label: 'authlab-after-rotation' });
    const deleted = await ctx.n8n.client.call('DELETE', `/rest/api-keys/${old.id}`);
    const proof = [
      check('the key worked before its rotation', before === 200, `GET /api/v1/workflows -> ${before}`),
      check(
        'the key was deleted as the editor deletes it',
        deleted.status === 200,
        `DELETE /rest/api-keys/<id> -> ${deleted.status} ${deleted.text.slice(0, 80)}`,
      ),
    ];
    return { proof, state: { oldKey: old.rawApiKey, newKey: replacement.rawApiKey } };
  },
  symptom: async (ctx, { oldKey }) => [await sendWith(ctx, 'the deleted key, right after its deletion', oldKey)],
  remedies: [
    {
      name: 'update the client with the new key',
      source: 'guide',
      probe: async (ctx, { newKey }) => [await sendWith(ctx, 'the key created in its place', newKey)],
    },
  ],
  // With the owner's sign-in (n8n's settings: the API is on; its list of keys: not this one), beside the encryption key.
  doctor: { names: 'key-deleted', input: (ctx, phase, { oldKey, newKey }) => ({ key: phase === 'broken' ? oldKey : newKey, owner: ctx.n8n.owner }) },
});

/** The key of a member who was then removed. */
interface RemovedUser {
  memberKey: string;
}

const userRemoved = defineScenario<RemovedUser>({
  id: 'keys.user-removed',
  refusalKeepsOut: 'a removed member, with the key they kept',
  title: "a member's key stops working when the member is removed",
  guide: {
    section: 'not in the guide',
    claim: 'an API key acts as the user who created it: once that user is removed, n8n refuses the key with 401 like a deleted one',
    fix: 'use a key created by a user who still exists',
  },
  predicts: { outcome: 'rejected' },
  stack: DEFAULT_STACK,
  fault: async (ctx) => {
    const member = await addMember(ctx, 'removed');
    // n8n community editions have no way to disable a user (only LDAP/SSO sync does): removing is what an owner can do.
    const removed = await ctx.n8n.client.call('DELETE', `/rest/users/${member.id}`);
    const proof = [
      ...member.proof,
      check(
        'the owner removed the member (its workflows and credentials with it)',
        removed.status === 200,
        `DELETE /rest/users/<member id> -> ${removed.status} ${removed.text.slice(0, 80)}`,
      ),
    ];
    return { proof, state: { memberKey: member.key } };
  },
  symptom: async (ctx, state) => [await sendWith(ctx, "the removed member's key", required(state.memberKey, "the member's key"))],
  remedies: [
    {
      name: "a key of a user who still exists (the owner's)",
      source: 'guide',
      probe: async (ctx) => [await sendWith(ctx, "the owner's key", ctx.n8n.apiKey.rawApiKey)],
    },
  ],
  // The key's signature is this instance's; the owner's sign-in shows the API on and the key's user gone.
  doctor: { names: 'key-deleted', input: (ctx, phase, { memberKey }) => (phase === 'broken' ? { key: memberKey, owner: ctx.n8n.owner } : {}) },
});

export const lifecycleScenarios = [deletedKey, userRemoved];
