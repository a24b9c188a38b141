import type { StartedAuthStack } from '../../parts/stack/auth-stack.ts';
import type { DeployCheck } from './checks.ts';
import type { Deployment } from './deployment.ts';

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0)$/i;
const INVITEE = 'authlab-check-invitee@example.com';

/** The invitation link n8n hands back (no SMTP on the test stack: it returns the link to copy), or why there is none. */
async function invitationLink(stack: StartedAuthStack): Promise<{ url?: string; evidence: string }> {
  const answer = await stack.primary.client.call('POST', '/rest/invitations', { body: [{ email: INVITEE, role: 'global:member' }] });
  const data = (answer.json as { data?: Array<{ user?: { inviteAcceptUrl?: string } }> } | undefined)?.data;
  const url = data?.[0]?.user?.inviteAcceptUrl;
  return url
    ? { url, evidence: `POST /rest/invitations -> ${answer.status}; the invitation link: ${url}` }
    : { evidence: `POST /rest/invitations -> ${answer.status}; no link in the answer` };
}

/**
 * Run: behind a proxy, the links n8n writes into invitations and password-reset mails use
 * N8N_EDITOR_BASE_URL, else WEBHOOK_URL, else N8N_PROTOCOL://N8N_HOST:N8N_PORT (default
 * http://localhost:5678). The reproduced n8n, on the file's env, invites a user and hands back the
 * link (the test stack has no SMTP): it must not point at localhost.
 */
export async function linksBaseUrl(stack: StartedAuthStack, d: Deployment): Promise<DeployCheck> {
  const env = d.main.env;
  const link = await invitationLink(stack);
  // No link handed back (an SMTP the test has not): judged from the file's env, as n8n would build it.
  const host = link.url ? new URL(link.url).hostname : env.N8N_EDITOR_BASE_URL || env.WEBHOOK_URL ? undefined : (env.N8N_HOST ?? 'localhost');
  const local = host !== undefined && LOCAL_HOST.test(host);
  const from = env.N8N_EDITOR_BASE_URL
    ? 'N8N_EDITOR_BASE_URL'
    : env.WEBHOOK_URL
      ? 'WEBHOOK_URL'
      : `N8N_PROTOCOL://N8N_HOST:N8N_PORT (N8N_HOST=${env.N8N_HOST ?? '(unset)'})`;
  return {
    id: 'links-base-url',
    title: "behind a proxy: invitation and password-reset links point at the proxy's public address, not localhost",
    section: 'not in the guide',
    scenarios: [],
    how: 'run',
    passed: !local,
    evidence: [
      `N8N_EDITOR_BASE_URL ${env.N8N_EDITOR_BASE_URL ? 'set' : 'unset'}, WEBHOOK_URL ${env.WEBHOOK_URL ? 'set' : 'unset'}: n8n builds the links from ${from}`,
      link.evidence,
    ],
    ...(local
      ? {
          fix: `set N8N_EDITOR_BASE_URL to the address users open the editor at through the proxy (https://<your host>/) on ${d.main.name}: the links in invitation and password-reset mails point at ${host ?? 'localhost'} otherwise`,
        }
      : {}),
  };
}
