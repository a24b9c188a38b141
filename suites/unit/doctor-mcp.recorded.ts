import type { IncomingMessage } from 'node:http';

/**
 * What n8n answered an MCP client's initialize request, recorded from real n8n 2.41.0 (MCP access
 * on by N8N_MCP_MANAGED_BY_ENV/N8N_MCP_ACCESS_ENABLED, and off) and 1.116.2 (N8N_ENABLED_MODULES=mcp,
 * on through PATCH /rest/mcp/settings, and off; without the module), and by MCP Server Triggers
 * with Bearer auth on both. The doctor's unit tests answer exactly this.
 */
export type Answer = [status: number, headers: Record<string, string>, body: string];

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const HTML_TYPE = { 'Content-Type': 'text/html; charset=utf-8' };
/** n8n 2.41.0's challenge names its own base URL: http://localhost:5678 unless the base URL is set. */
export const challengeTo = (origin: string) => ({
  ...JSON_TYPE,
  'WWW-Authenticate': `Bearer realm="n8n MCP Server", resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp-server/http"`,
});
const expressCannot = (method: string, path: string) =>
  `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${path}</pre>\n</body>\n</html>\n`;
export const INITIALIZED: Answer = [
  200,
  { 'Content-Type': 'text/event-stream' },
  'event: message\ndata: {"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"n8n MCP Server","version":"1.1.0"}},"jsonrpc":"2.0","id":1}\n\n',
];

export const V2 = {
  disabled: [404, JSON_TYPE, '{"message":"MCP access is disabled"}'] as Answer,
  noHeader: (origin: string): Answer => [401, challengeTo(origin), '{"message":"Unauthorized: Authorization header not sent"}'],
  noBearer: (origin: string): Answer => [401, challengeTo(origin), '{"message":"Unauthorized: Invalid authorization header format - Missing Bearer prefix"}'],
  refused: (origin: string): Answer => [401, challengeTo(origin), '{"message":"Unauthorized"}'],
  jwtFailed: (origin: string): Answer => [401, challengeTo(origin), '{"message":"Unauthorized: JWT Verification Failed"}'],
  notInDb: (origin: string): Answer => [401, challengeTo(origin), '{"message":"Unauthorized: Access Token Not Found in Database"}'],
  protectedResource: (origin: string): Answer => [
    200,
    JSON_TYPE,
    `{"resource":"${origin}/mcp-server/http","bearer_methods_supported":["header"],"authorization_servers":["${origin}"],"scopes_supported":["workflow:read"]}`,
  ],
  authorizationServer: (origin: string): Answer => [
    200,
    JSON_TYPE,
    `{"issuer":"${origin}","authorization_endpoint":"${origin}/mcp-oauth/authorize","token_endpoint":"${origin}/mcp-oauth/token","registration_endpoint":"${origin}/mcp-oauth/register"}`,
  ],
};

export const V1 = {
  notLoaded: [404, HTML_TYPE, expressCannot('POST', '/mcp-server/http')] as Answer,
  /** An MCP key while MCP access is off: the auth middleware runs first, then the controller refuses. */
  disabled: [403, JSON_TYPE, '{"message":"MCP access is disabled"}'] as Answer,
  refused: [401, JSON_TYPE, '{"message":"Unauthorized"}'] as Answer,
  /** A value without "Bearer": 1.x's middleware throws, Express answers its own 500 page. */
  noBearer: [500, HTML_TYPE, expressCannot('POST', '/mcp-server/http').replace('Cannot POST /mcp-server/http', 'Internal Server Error')] as Answer,
};

/** An MCP Server Trigger with Bearer auth (both versions alike); 1.116.2 publishes one without a credential, 2.41.0 refuses to. */
export const TRIGGER = {
  wrong: [403, {}, 'Authorization data is wrong!'] as Answer,
  noCredential: [500, {}, 'No authentication data defined on node!'] as Answer,
  notRegistered: [
    404,
    JSON_TYPE,
    '{"code":404,"message":"The requested webhook \\"POST doc-nocred\\" is not registered.","hint":"The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren\'t shown on the canvas (only in the executions list)"}',
  ] as Answer,
};

/** NGINX's own 404 for a path its site does not route (a proxy that forwards only /mcp-server/). */
export const NGINX_404: Answer = [
  404,
  { 'Content-Type': 'text/html' },
  '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
];

export const authorizationOf = (req: IncomingMessage) => req.headers.authorization;
