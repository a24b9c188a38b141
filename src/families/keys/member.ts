import { randomBytes } from 'node:crypto';
import { N8nClient, N8nRequestError, type Answer } from '../../parts/client/n8n-client.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { registerSecret } from '../../base/secrets.ts';

/** A member user (not the owner), signed in, with an API key of every scope n8n offers a member. */
export interface Member {
  id: string;
  email: string;
  /** Signed in as the member (the cookie its invitation's acceptance set). */
  client: N8nClient;
  key: string;
  /** The member's personal project, where a workflow must be for its key to see it. */
  projectId: string | undefined;
  proof: Check[];
}

interface Invited {
  id: string;
  inviteAcceptUrl: string;
}

/**
 * Accepts an invitation as the invitee does from its link: n8n 2.x links carry a signed `token`
 * (POST /rest/invitations/accept), 1.x links the inviter and invitee ids (POST /rest/invitations/<invitee>/accept).
 */
export function acceptInvitation(member: N8nClient, link: URL, profile: { firstName: string; lastName: string; password: string }): Promise<Answer> {
  const token = link.searchParams.get('token');
  if (token) return member.call('POST', '/rest/invitations/accept', { body: { token, ...profile } });
  const invitee = link.searchParams.get('inviteeId');
  return member.call('POST', `/rest/invitations/${invitee}/accept`, { body: { inviterId: link.searchParams.get('inviterId'), ...profile } });
}

/** A member invited by the owner and signed up from its link: its id, email, password and session. */
export interface SignedUpMember {
  id: string;
  email: string;
  password: string;
  /** Signed in as the member (the cookie its invitation's acceptance set). */
  client: N8nClient;
  /** How the invitation went: the evidence of a proof. */
  signedUp: Check;
}

/** Invites a member as the owner (no mail server: n8n hands back the link, unlicensed editions included) and accepts it. */
export async function signUpMember(ctx: ScenarioContext, name: string): Promise<SignedUpMember> {
  const email = `${name}-${Date.now()}@authlab.test`;
  const invited = await ctx.n8n.client.call('POST', '/rest/invitations', { body: [{ email, role: 'global:member' }] });
  const user = (invited.json as { data?: Array<{ user?: Invited; error?: string }> } | undefined)?.data?.[0]?.user;
  if (invited.status !== 200 || !user?.inviteAcceptUrl) throw new N8nRequestError(`inviting ${email}`, invited);
  const client = new N8nClient(ctx.n8n.client.baseUrl);
  const password = registerSecret(`Member-${randomBytes(9).toString('base64url')}7Q`, 'password');
  const accepted = await acceptInvitation(client, new URL(user.inviteAcceptUrl), { firstName: 'Lab', lastName: 'Member', password });
  if (accepted.status !== 200) throw new N8nRequestError(`accepting the invitation of ${email}`, accepted);
  const signedUp = check(
    'a member user was invited and signed up (not the owner)',
    accepted.status === 200,
    `POST /rest/invitations -> ${invited.status}; accepting ${new URL(user.inviteAcceptUrl).searchParams.has('token') ? 'the token link' : 'the inviter/invitee link'} -> ${accepted.status} (role ${String((accepted.json as { data?: { role?: unknown } } | undefined)?.data?.role ?? 'not shown')})`,
  );
  return { id: user.id, email, password, client, signedUp };
}

/** A member signed up (signUpMember) who then creates an API key in its own session. */
export async function addMember(ctx: ScenarioContext, name: string): Promise<Member> {
  const { id, email, client, signedUp } = await signUpMember(ctx, name);
  const key = await client.createApiKey({ label: `${name}-member-key` });
  const project = await client.call('GET', '/rest/projects/personal');
  const projectId = (project.json as { data?: { id?: string } } | undefined)?.data?.id;
  const listed = await client.publicApi('GET', '/workflows', key.rawApiKey);
  const proof = [
    signedUp,
    check(
      "the member's own key works",
      listed.status === 200,
      `the member's key (${key.scopes?.length ?? '?'} scopes) on GET /api/v1/workflows -> ${listed.status}`,
    ),
  ];
  return { id, email, client, key: key.rawApiKey, projectId, proof };
}
