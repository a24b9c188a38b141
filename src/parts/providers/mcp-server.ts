import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { http, HttpResponse } from 'msw';
import { rawHeader } from './raw-headers.ts';
import type { ProviderDefinition } from './types.ts';

/** The one tool the server offers: what n8n's MCP Client Tool lists and calls. */
export const MCP_SERVER_TOOL = 'echo';
export const MCP_SERVER_PATH = '/mcp';

/** A fresh SDK server per request (stateless Streamable HTTP, JSON answers): nothing outlives the request. */
async function serve(request: Request): Promise<Response> {
  const server = new McpServer({ name: 'authlab-mcp-server', version: '1.0.0' });
  server.registerTool(MCP_SERVER_TOOL, { description: 'Answers "echo" (authlab)' }, async () => ({ content: [{ type: 'text', text: 'echo' }] }));
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(request);
}

/**
 * A third party's MCP server behind `Authorization: Bearer <token>`: the official MCP SDK's
 * McpServer over its Streamable HTTP transport, the token compared byte for byte. A wrong or
 * missing token gets 401 with a Bearer challenge, as an OAuth-protected MCP server answers.
 */
export const mcpServer: ProviderDefinition = {
  name: 'mcp-server',
  secretEnv: ['MCP_SERVER_TOKEN'],
  handlers: (env) => [
    http.all(`*${MCP_SERVER_PATH}`, async ({ request }) => {
      if (rawHeader(request, 'authorization') !== `Bearer ${env.MCP_SERVER_TOKEN ?? ''}`) {
        return HttpResponse.json(
          { error: 'invalid_token', error_description: 'the bearer token is missing or wrong' },
          { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
        );
      }
      // No standalone event stream: the provider container answers each request whole.
      if (request.method === 'GET') return new HttpResponse(null, { status: 405, headers: { Allow: 'POST' } });
      if (request.method === 'DELETE') return new HttpResponse(null, { status: 200 });
      return serve(request);
    }),
  ],
};
