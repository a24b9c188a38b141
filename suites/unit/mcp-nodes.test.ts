import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { getResponse } from 'msw';
import { describe, expect, test } from 'vitest';
import { rightHeaders, TRIGGER_HEADER, triggerCredential, triggerWorkflow } from '../../src/families/mcp/nodes/trigger.ts';
import { MCP_SERVER_TOOL, mcpServer } from '../../src/parts/providers/mcp-server.ts';

describe('the MCP Server Trigger workflow', () => {
  test('Bearer Auth: an httpBearerAuth credential on the trigger, the Calculator tool connected', () => {
    const wf = triggerWorkflow('p', 'bearerAuth', 'cred-1') as { nodes: Array<Record<string, unknown>>; connections: Record<string, unknown> };
    const trigger = wf.nodes[0]!;
    expect(trigger.type).toBe('@n8n/n8n-nodes-langchain.mcpTrigger');
    expect(trigger.typeVersion).toBe(2);
    expect(trigger.parameters).toEqual({ authentication: 'bearerAuth', path: 'p' });
    expect(trigger.credentials).toEqual({ httpBearerAuth: { id: 'cred-1', name: 'mcp trigger bearerAuth' } });
    expect(wf.connections).toEqual({ Calculator: { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] } });
  });

  test('no credential: the node asks for its authentication and names none', () => {
    const wf = triggerWorkflow('p', 'headerAuth') as { nodes: Array<Record<string, unknown>> };
    expect(wf.nodes[0]!.credentials).toBeUndefined();
  });

  test("the right headers are the credential's", () => {
    expect(triggerCredential('bearerAuth', 's').data).toEqual({ token: 's' });
    expect(rightHeaders({ auth: 'bearerAuth', secret: 's' })).toEqual([['Authorization', 'Bearer s']]);
    expect(triggerCredential('headerAuth', 's').data).toEqual({ name: TRIGGER_HEADER, value: 's' });
    expect(rightHeaders({ auth: 'headerAuth', secret: 's' })).toEqual([[TRIGGER_HEADER, 's']]);
  });
});

describe('the SDK MCP server behind a Bearer token (in process, through its msw handler)', () => {
  const handlers = mcpServer.handlers({ MCP_SERVER_TOKEN: 'tok' });
  const viaHandler = async (input: string | URL, init?: RequestInit) =>
    (await getResponse(handlers, new Request(input, init))) ?? new Response('no handler', { status: 404 });

  async function listTools(token: string): Promise<string[]> {
    const transport = new StreamableHTTPClientTransport(new URL('http://mcp-server:8080/mcp'), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
      fetch: viaHandler,
    });
    const client = new Client({ name: 'unit', version: '1.0.0' });
    try {
      await client.connect(transport);
      return (await client.listTools()).tools.map((t) => t.name);
    } finally {
      await client.close();
    }
  }

  test('the right token lists its tool', async () => {
    expect(await listTools('tok')).toEqual([MCP_SERVER_TOOL]);
  });

  test('a wrong token gets 401 with a Bearer challenge', async () => {
    const res = await viaHandler('http://mcp-server:8080/mcp', { method: 'POST', headers: { Authorization: 'Bearer nope' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    await expect(listTools('nope')).rejects.toThrow();
  });
});
