import { defineScenario } from '../../../core/define.ts';
import { NOT_IN_GUIDE } from '../../../core/guide-sections.ts';
import { check } from '../../../core/probes.ts';
import { audienceOf, bearer, connect, issueMcpToken, MCP_SERVER_STACK, mcpDoctor, mcpReady } from './support.ts';

/** The MCP token Settings > MCP Access shows, MCP access on. */
interface Ready {
  token: string;
}

export const publicApiKeyAsToken = defineScenario<Ready>({
  id: 'mcp.server-public-api-key',
  title: "the instance's public API key given as the MCP token is refused with 401: they are different keys",
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'the n8n API key (Settings > n8n API) is not the MCP access token: the MCP server refuses it with 401 "Unauthorized"',
    fix: 'use the token from Settings > MCP Access',
  },
  predicts: { outcome: 'rejected', says: 'Unauthorized' },
  stack: MCP_SERVER_STACK,
  fault: async (ctx) => {
    const { token, proof } = await mcpReady(ctx);
    if (!token) return { proof, state: { token } };
    const publicKey = ctx.n8n.apiKey.rawApiKey;
    const works = await ctx.n8n.client.publicApi('GET', '/workflows', publicKey);
    const audiences = `the public API key's aud is "${audienceOf(publicKey)}", the MCP token's "${audienceOf(token)}"`;
    return {
      proof: [
        ...proof,
        check("the instance's public API key works on its own API", works.status === 200, `GET /api/v1/workflows with it -> ${works.status}`),
        check('the two are different keys, issued for different audiences', publicKey !== token && audienceOf(publicKey) !== audienceOf(token), audiences),
      ],
      state: { token },
    };
  },
  symptom: async (ctx) => connect(ctx, "the SDK's client with the public API key as its Bearer token", bearer(ctx.n8n.apiKey.rawApiKey)),
  remedies: [
    {
      name: 'give the MCP client the token from Settings > MCP Access',
      source: 'guide',
      probe: async (ctx, { token }) => connect(ctx, "the SDK's client with the MCP token", bearer(token)),
    },
  ],
  doctor: mcpDoctor<Ready>(
    'mcp-token-is-public-api-key',
    (ctx) => `Bearer ${ctx.n8n.apiKey.rawApiKey}`,
    ({ token }) => token,
  ),
});

/** The token before a rotation, and the one that replaced it. */
interface Rotated {
  oldToken: string;
  newToken: string;
}

export const rotatedToken = defineScenario<Rotated>({
  id: 'mcp.server-rotated-token',
  refusalKeepsOut: 'whoever still holds the rotated-out MCP token',
  title: 'an MCP token rotated in Settings > MCP Access is refused with 401 at once; the new one works',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'a revoked or rotated MCP token is refused with 401 ("Access Token Not Found in Database" for OAuth tokens)',
    fix: 'give every MCP client the new token',
  },
  predicts: { outcome: 'rejected', says: 'Unauthorized' },
  stack: MCP_SERVER_STACK,
  fault: async (ctx) => {
    const { token: oldToken, proof } = await mcpReady(ctx);
    if (!oldToken) return { proof, state: { oldToken, newToken: '' } };
    const before = await connect(ctx, 'the token before its rotation', bearer(oldToken));
    const { token: newToken, proof: rotated } = await issueMcpToken(ctx);
    const worked = before[0];
    return {
      proof: [
        ...proof,
        check(
          'the token worked before its rotation',
          worked?.outcome === 'accepted',
          worked ? `${worked.response?.status ?? ''} ${worked.response?.body ?? worked.error ?? ''}`.slice(0, 160) : 'not tried',
        ),
        { ...rotated, what: 'the owner rotated the token (Settings > MCP Access)' },
        check('the rotation gave a different token', oldToken !== newToken, 'old and new tokens differ'),
      ],
      state: { oldToken, newToken },
    };
  },
  symptom: async (ctx, { oldToken }) => connect(ctx, "the SDK's client with the token from before the rotation", bearer(oldToken)),
  remedies: [
    {
      name: 'give the MCP client the new token',
      source: 'guide',
      probe: async (ctx, { newToken }) => connect(ctx, "the SDK's client with the token the rotation gave", bearer(newToken)),
    },
  ],
  doctor: mcpDoctor<Rotated>(
    'mcp-token-refused',
    (_ctx, { oldToken }) => `Bearer ${oldToken}`,
    ({ newToken }) => newToken,
  ),
});
