/**
 * The failure modes of an MCP client's call to n8n (`--mcp-url`): the instance's MCP server
 * (<base>/mcp-server/http) or an MCP Server Trigger (<base>/mcp/<path>). Each is named from n8n's
 * own answer (its status, message and WWW-Authenticate challenge) and the token's claims.
 */
export const MCP_FAILURE_MODES = {
  'mcp-access-disabled': {
    title: "the instance's MCP access is off",
    means:
      'n8n answers "MCP access is disabled" (n8n 2.x: 404 to every call; 1.x: 403 to a valid MCP key): turn it on in Settings > MCP Access, or with N8N_MCP_MANAGED_BY_ENV=true and N8N_MCP_ACCESS_ENABLED=true (n8n 2.x)',
  },
  'mcp-module-not-loaded': {
    title: 'this n8n has no MCP server route',
    means:
      'n8n answers 404 "Cannot POST /mcp-server/http": its mcp module is not loaded (n8n 1.x: add mcp to N8N_ENABLED_MODULES; versions before the MCP server have none)',
  },
  'mcp-token-missing': {
    title: 'no MCP token',
    means:
      'the token is empty: the client sends no Authorization header (an unset variable in its config); n8n answers 401 "Unauthorized: Authorization header not sent" (1.x: 401 "Unauthorized"), an MCP Server Trigger 403 "Authorization data is wrong!"',
  },
  'mcp-token-not-bearer': {
    title: 'the MCP token is sent without "Bearer "',
    means:
      'the Authorization header holds the bare token: n8n 2.x answers 401 "...Missing Bearer prefix", 1.x a 500, an MCP Server Trigger 403 "Authorization data is wrong!"; write the header as "Authorization: Bearer <token>"',
  },
  'mcp-token-is-public-api-key': {
    title: 'the public API key is given as the MCP token',
    means:
      'the token is n8n\'s public API key (aud public-api, Settings > n8n API), which the MCP server does not take: it answers 401 "Unauthorized". Use the MCP server\'s own key (Settings > MCP Access > Connection details, aud mcp-server-api) or connect with OAuth',
  },
  'mcp-token-refused': {
    title: 'n8n refuses the MCP token',
    means:
      "n8n answers 401 to the token: not a key this n8n issued (another instance's, a typo, a truncated copy), an MCP key since rotated (Settings > MCP Access) or its user removed, an OAuth token expired or signed with another secret; the evidence says which kind of token it is",
  },
  'mcp-token-audience-mismatch': {
    title: 'the OAuth token was issued for another URL',
    means:
      'n8n answers 401 "Unauthorized: JWT Verification Failed" and the token\'s audience is not the resource n8n names now: n8n\'s base URL (N8N_EDITOR_BASE_URL, WEBHOOK_URL or N8N_MCP_BASE_URL) changed after the token was issued. Reconnect the client (sign in again), or put the base URL back',
  },
  'mcp-token-revoked': {
    title: 'the OAuth token was revoked',
    means:
      'n8n answers 401 "Unauthorized: Access Token Not Found in Database": the token is signed right but n8n no longer holds it (the client\'s access was revoked in Settings > MCP Access, or n8n\'s database was reset). Reconnect the client',
  },
  'mcp-discovery-broken': {
    title: "an OAuth client cannot find n8n's MCP authorization server",
    means:
      "after its 401 an OAuth client reads /.well-known/oauth-protected-resource/mcp-server/http and /.well-known/oauth-authorization-server at the origin it called; there they do not answer n8n's JSON: the proxy forwards only /mcp-server/ (route /.well-known/ and /mcp-oauth/ to n8n too)",
  },
  'mcp-base-url-mismatch': {
    title: 'n8n names another URL than the one MCP clients call',
    means:
      "n8n's challenge and OAuth metadata name another origin or resource than the URL the client called: n8n's base URL (N8N_EDITOR_BASE_URL, WEBHOOK_URL, N8N_MCP_BASE_URL, N8N_PROTOCOL/N8N_HOST behind a proxy) is not the public URL, so OAuth clients go to the wrong place or refuse the resource. Set it to the URL clients use",
  },
  'mcp-trigger-auth-refused': {
    title: "the MCP Server Trigger's authentication refused the call",
    means:
      'the MCP Server Trigger answers 403 "Authorization data is wrong!": the bearer token (or the header its Header Auth credential names) is missing or differs from the credential on the node',
  },
  'mcp-trigger-auth-unconfigured': {
    title: 'the MCP Server Trigger has no credential for its authentication',
    means:
      'the MCP Server Trigger answers 500 "No authentication data defined on node!": it asks for Bearer or Header Auth and names no credential; attach one and publish again',
  },
} as const satisfies Record<string, { title: string; means: string }>;
