import { defineScenario } from '../../../core/define.ts';
import { NOT_IN_GUIDE } from '../../../core/guide-sections.ts';
import { bearer, connect, issueMcpToken, MCP_SERVER_STACK, mcpDoctor, setMcpAccess } from './support.ts';

/** The owner's MCP token, taken while MCP access is off. */
interface Token {
  token: string;
}

export const accessDisabled = defineScenario<Token>({
  id: 'mcp.server-access-disabled',
  title: 'with MCP access off, the instance MCP server refuses a right token with 404 "MCP access is disabled"; turning it on fixes it',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'the instance MCP server is off by default: /mcp-server/http answers 404 "MCP access is disabled" to every client',
    fix: 'turn MCP access on (Settings > MCP Access, or N8N_MCP_MANAGED_BY_ENV=true with N8N_MCP_ACCESS_ENABLED=true)',
  },
  predicts: { outcome: 'not-found', says: 'MCP access is disabled' },
  stack: MCP_SERVER_STACK,
  fault: async (ctx) => {
    const off = await setMcpAccess(ctx, false);
    if (off.some((c) => c.prerequisite)) return { proof: off, state: { token: '' } };
    const { token, proof } = await issueMcpToken(ctx);
    return { proof: [...off, proof], state: { token } };
  },
  symptom: async (ctx, { token }) => connect(ctx, "the SDK's client with the owner's MCP token, MCP access off", bearer(token)),
  remedies: [
    {
      name: 'turn MCP access on in Settings > MCP Access',
      source: 'guide',
      apply: (ctx) => setMcpAccess(ctx, true),
      probe: async (ctx, { token }) => connect(ctx, "the SDK's client with the same token, MCP access on", bearer(token)),
    },
  ],
  doctor: mcpDoctor<Token>(
    'mcp-access-disabled',
    (_ctx, { token }) => `Bearer ${token}`,
    ({ token }) => token,
  ),
});
