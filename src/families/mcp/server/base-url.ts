import { defineScenario } from '../../../core/define.ts';
import { NOT_IN_GUIDE } from '../../../core/guide-sections.ts';
import { check, prerequisite } from '../../../core/probes.ts';
import type { ScenarioContext } from '../../../core/types.ts';
import type { Exchange } from '../../../parts/client/exchange.ts';
import { mcpSession } from '../../../parts/client/mcp-client.ts';
import { authorizeMcpClient } from '../../../parts/client/mcp-oauth-flow.ts';
import { audienceOf, bearer, MCP_PATH, MCP_SERVER_STACK, mcpReady, PUBLIC_HOST, publicMcp, publicMcpRoute } from './support.ts';

/** Where n8n moves: its new public name (NGINX answers on every name). */
const NEW_HOST = 'mcp-new.lab';

/** The OAuth access token issued under the first base URL, and the Settings token beside it. */
interface Issued {
  oauthToken: string;
  settingsToken: string;
  /** The token of the client's new authorization, once the fix made it (what the doctor is given after the fix). */
  reauthorized?: string;
}

/**
 * The SDK's client with a Bearer token, straight to n8n (n8n checks a token's audience against its
 * own base URL, whatever URL the request came by; through the guide's NGINX example, n8n answered
 * the SDK's `notifications/initialized` 400 with no body).
 */
async function connectAs(ctx: ScenarioContext, label: string, token: string): Promise<Exchange[]> {
  return mcpSession({ url: `${ctx.stack.primary.container.getBaseUrl()}${MCP_PATH}`, label, headers: bearer(token) });
}

export const baseUrlChanged = defineScenario<Issued>({
  id: 'mcp.server-base-url-changed',
  title:
    'an OAuth token n8n\'s MCP server issued before its base URL changed is refused with 401 "JWT Verification Failed"; authorizing the client again fixes it',
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      'n8n\'s OAuth tokens carry the MCP server\'s URL as their audience: after N8N_EDITOR_BASE_URL changes, every token issued before is refused with 401 "Unauthorized: JWT Verification Failed"',
    fix: 'connect the MCP client again (a new authorization under the new URL)',
  },
  predicts: { outcome: 'rejected', says: 'JWT Verification Failed' },
  stack: MCP_SERVER_STACK,
  fault: async (ctx) => {
    const { token: settingsToken, proof } = await mcpReady(ctx);
    if (!settingsToken) return { proof, state: { oauthToken: '', settingsToken } };
    const grant = await authorizeMcpClient(publicMcp(ctx, PUBLIC_HOST), ctx.n8n.client);
    const flow = grant.exchanges
      .map(
        (e) =>
          `${e.request.method} ${new URL(e.request.url).pathname} -> ${e.response?.status ?? e.error ?? ''}${(e.response?.status ?? 0) >= 400 && e.request.url.includes('/rest/') ? ` ${e.response?.body.slice(0, 120)}` : ''}`,
      )
      .join('; ');
    const issued = prerequisite("this n8n's MCP server has an OAuth server that issued the client a token", grant.accessToken !== '', flow.slice(0, 600));
    if (!grant.accessToken) return { proof: [...proof, issued], state: { oauthToken: '', settingsToken } };
    const before = (await connectAs(ctx, 'the OAuth token before the change', grant.accessToken))[0];
    await ctx.stack.replacePrimary({ env: { N8N_EDITOR_BASE_URL: `http://${NEW_HOST}` } });
    const env = (await ctx.stack.primary.container.exec(['sh', '-c', 'printenv N8N_EDITOR_BASE_URL'])).output.trim();
    return {
      proof: [
        ...proof,
        issued,
        check(
          'the token worked before the change',
          before?.outcome === 'accepted',
          `${before?.response?.status ?? ''} ${(before?.response?.body ?? before?.error ?? '').slice(0, 120)}`,
        ),
        check('n8n was restarted with its new base URL', env === `http://${NEW_HOST}`, `N8N_EDITOR_BASE_URL=${env}`),
      ],
      state: { oauthToken: grant.accessToken, settingsToken },
    };
  },
  // The token's audience is evidence, not proof: a version whose OAuth tokens are not bound to the URL (aud mcp-server-api) shows the change harmless.
  symptom: (ctx, { oauthToken }) =>
    connectAs(ctx, `the SDK's client with the OAuth token issued before the change (aud ${audienceOf(oauthToken)})`, oauthToken),
  alongside: (ctx, { settingsToken }) => connectAs(ctx, 'the Settings > MCP Access token (audience mcp-server-api) after the change', settingsToken),
  remedies: [
    {
      name: 'connect the MCP client again: a new OAuth authorization under the new base URL',
      source: 'guide',
      probe: async (ctx, issued) => {
        const grant = await authorizeMcpClient(publicMcp(ctx, NEW_HOST), ctx.stack.primary.client);
        issued.reauthorized = grant.accessToken;
        const judged = grant.accessToken ? await connectAs(ctx, "the SDK's client with the token of the new authorization", grant.accessToken) : [];
        return [...judged, ...grant.exchanges.map((e) => ({ ...e, context: true as const }))];
      },
    },
  ],
  // The doctor at the new public URL (through NGINX), given the client's token: the old one while broken, the new authorization's after.
  doctor: {
    names: 'mcp-token-audience-mismatch',
    input: (ctx, phase, issued) => {
      const { url, connectTo } = publicMcpRoute(ctx, NEW_HOST);
      return { mcp: { url, token: `Bearer ${phase === 'broken' ? issued.oauthToken : (issued.reauthorized ?? '')}` }, connectTo };
    },
  },
});
