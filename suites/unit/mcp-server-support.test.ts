import { describe, expect, test } from 'vitest';
import { audienceOf } from '../../src/families/mcp/server/support.ts';

const jwt = (payload: unknown) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2lnbmF0dXJl`;

describe("an MCP token's audience, read without verifying it", () => {
  test('a single audience, a list, none', () => {
    expect(audienceOf(jwt({ aud: 'mcp-server-api' }))).toBe('mcp-server-api');
    expect(audienceOf(jwt({ aud: ['http://mcp.lab/mcp-server/http', 'x'] }))).toBe('http://mcp.lab/mcp-server/http,x');
    expect(audienceOf(jwt({ sub: 'u' }))).toBe('(none)');
  });

  test('what is not a JWT says so', () => {
    expect(audienceOf('n8n_api_0123456789abcdef')).toBe('(not a JWT)');
    expect(audienceOf('a.%%%.c')).toBe('(not a JWT)');
  });
});
