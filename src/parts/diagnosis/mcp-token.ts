import { decodeJwt } from 'jose';

/**
 * What an MCP token is, read from its claims without trusting it. n8n signs three kinds of JWT with
 * the same secret: its public API key (`aud: public-api`), the MCP server's own key (`aud:
 * mcp-server-api`, Settings > MCP Access) and, on 2.x, OAuth access tokens for MCP clients
 * (`meta.isOAuth`, `aud`: the MCP server's resource URL). Anything else is not n8n's.
 */
export type McpTokenKind = 'public-api-key' | 'mcp-api-key' | 'oauth-access-token' | 'other-jwt' | 'not-a-jwt';

export interface McpToken {
  kind: McpTokenKind;
  /** The audiences the token names (an OAuth token's: the resource URL it was issued for). */
  audiences: string[];
  /** ISO time of `exp`, when it has one, and whether that is past by this machine's clock. */
  exp?: { at: string; expired: boolean };
}

/** n8n's MCP server takes `Authorization: Bearer <token>`: the token is what follows the scheme (or the value itself without one). */
export function bearerTokenOf(headerValue: string): string {
  return headerValue.replace(/^Bearer\s+/i, '').trim();
}

export function decodeMcpToken(token: string, now = new Date()): McpToken {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token) as Record<string, unknown>;
  } catch {
    return { kind: 'not-a-jwt', audiences: [] };
  }
  const aud = claims.aud;
  const audiences = (Array.isArray(aud) ? aud : aud === undefined ? [] : [aud]).map(String);
  const meta = claims.meta as { isOAuth?: unknown } | undefined;
  const kind: McpTokenKind =
    meta?.isOAuth === true
      ? 'oauth-access-token'
      : claims.iss === 'n8n' && audiences.includes('public-api')
        ? 'public-api-key'
        : claims.iss === 'n8n' && audiences.includes('mcp-server-api')
          ? 'mcp-api-key'
          : 'other-jwt';
  const exp = typeof claims.exp === 'number' ? { at: new Date(claims.exp * 1000).toISOString(), expired: claims.exp * 1000 <= now.getTime() } : undefined;
  return { kind, audiences, ...(exp ? { exp } : {}) };
}

/** The token's kind in words, for evidence lines (never the token). */
export function describeMcpToken(t: McpToken): string {
  const words: Record<McpTokenKind, string> = {
    'public-api-key': "n8n's public API key (iss n8n, aud public-api)",
    'mcp-api-key': "n8n's MCP server key (iss n8n, aud mcp-server-api)",
    'oauth-access-token': `an OAuth access token n8n issued for MCP (audience ${t.audiences.join(', ') || 'none'})`,
    'other-jwt': `a JWT not from n8n's MCP server (audience ${t.audiences.join(', ') || 'none'})`,
    'not-a-jwt': 'not a JWT (n8n issues its MCP tokens as JWTs, eyJ...)',
  };
  return `the token is ${words[t.kind]}${t.exp ? `; exp ${t.exp.at}${t.exp.expired ? ', past' : ''}` : ''}`;
}
