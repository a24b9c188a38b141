import { createServer, type IncomingMessage } from 'node:http';
import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';
import { diagnoseMcp } from '../../src/parts/diagnosis/mcp.ts';
import type { FailureModeId } from '../../src/parts/diagnosis/modes.ts';
import { type Answer, INITIALIZED, NGINX_404, TRIGGER, V1, V2 } from './doctor-mcp.recorded.ts';

// Stand-ins answering as n8n 2.41.0, 1.116.2 and an MCP Server Trigger were recorded answering
// (doctor-mcp.recorded.ts); the mcp family's scenarios check that n8n really does.
const secret = new TextEncoder().encode('stand-in-secret');
const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(secret);
const MCP_KEY = await sign({ sub: 'u1', iss: 'n8n', aud: 'mcp-server-api' });
const PUBLIC_KEY = await sign({ sub: 'u1', iss: 'n8n', aud: 'public-api' });
const oauthToken = (aud: string) => sign({ sub: 'u1', client_id: 'c1', aud, scope: '', meta: { isOAuth: true } });
const TRIGGER_TOKEN = 'trigger-secret-token';

type Handler = (req: IncomingMessage, origin: string) => Answer;

async function diagnosed(handler: Handler, path: string, token?: string) {
  const server = createServer((req, res) => {
    const [status, headers, body] = handler(req, `http://${req.headers.host}`);
    req.resume().on('end', () => res.writeHead(status, headers).end(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const modes: FailureModeId[] = [];
  const evidence: string[] = [];
  const notes: string[] = [];
  try {
    await diagnoseMcp(
      { url: `${origin}${path}`, ...(token !== undefined ? { token } : {}) },
      { timeoutMs: 5000 },
      () => undefined,
      (m, ...e) => (modes.push(m), evidence.push(...e)),
      notes,
    );
  } finally {
    server.close();
  }
  return { modes, evidence: evidence.join('\n'), notes: notes.join('\n') };
}

/** n8n 2.41.0: MCP access on or off, its base URL (the challenge's and metadata's origin) the called one unless given, /.well-known/ routed or not, OAuth tokens it no longer holds. */
const v2 =
  (opts: { off?: boolean; baseUrl?: string; wellKnown?: 'n8n' | 'nginx'; revoked?: boolean } = {}): Handler =>
  (req, called) => {
    const base = opts.baseUrl ?? called;
    if (req.url?.startsWith('/.well-known/')) {
      if (opts.wellKnown === 'nginx') return NGINX_404;
      return req.url.includes('authorization-server') ? V2.authorizationServer(base) : V2.protectedResource(base);
    }
    if (opts.off) return V2.disabled;
    const auth = req.headers.authorization;
    if (!auth) return V2.noHeader(base);
    if (!auth.startsWith('Bearer')) return V2.noBearer(base);
    const token = auth.slice('Bearer '.length);
    if (token === MCP_KEY) return INITIALIZED;
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}') as { aud?: string; meta?: unknown };
    if (claims.meta) return opts.revoked || claims.aud === `${base}/mcp-server/http` ? V2.notInDb(base) : V2.jwtFailed(base);
    return V2.refused(base);
  };

/** n8n 1.116.2 with N8N_ENABLED_MODULES=mcp (or without), MCP access on or off. */
const v1 =
  (opts: { off?: boolean; notLoaded?: boolean } = {}): Handler =>
  (req) => {
    if (opts.notLoaded) return V1.notLoaded;
    const auth = req.headers.authorization;
    if (!auth) return V1.refused;
    if (!auth.startsWith('Bearer')) return V1.noBearer;
    if (auth.slice('Bearer '.length) !== MCP_KEY) return V1.refused;
    return opts.off ? V1.disabled : INITIALIZED;
  };

const trigger =
  (opts: { noCredential?: boolean; unpublished?: boolean } = {}): Handler =>
  (req) => {
    if (opts.unpublished) return TRIGGER.notRegistered;
    if (opts.noCredential) return TRIGGER.noCredential;
    return req.headers.authorization === `Bearer ${TRIGGER_TOKEN}` ? INITIALIZED : TRIGGER.wrong;
  };

const SERVER = '/mcp-server/http';

describe("the doctor reads an MCP client's refusal from n8n 2.41.0's answer", () => {
  test('MCP access off: 404 "MCP access is disabled"', async () =>
    expect((await diagnosed(v2({ off: true }), SERVER, MCP_KEY)).modes).toEqual(['mcp-access-disabled']));
  test('an empty token: no Authorization header', async () => {
    const r = await diagnosed(v2(), SERVER, '');
    expect(r.modes).toEqual(['mcp-token-missing']);
    expect(r.evidence).toContain('Authorization header not sent');
    expect(r.evidence).toContain('resource_metadata=');
  });
  test('no token given, discovery fine: nothing named (what an OAuth client gets first)', async () => {
    const r = await diagnosed(v2(), SERVER);
    expect(r.modes).toEqual([]);
    expect(r.notes).toContain('no MCP token given');
  });
  test('the right key without "Bearer ": only the prefix named', async () => {
    const r = await diagnosed(v2(), SERVER, MCP_KEY);
    expect(r.modes).toEqual(['mcp-token-not-bearer']);
    expect(r.evidence).toContain('Missing Bearer prefix');
  });
  test('a wrong token without "Bearer ": the prefix, then the token', async () =>
    expect((await diagnosed(v2(), SERVER, 'Token x')).modes).toEqual(['mcp-token-not-bearer', 'mcp-token-refused']));
  test('a wrong token', async () => expect((await diagnosed(v2(), SERVER, 'Bearer wrong')).modes).toEqual(['mcp-token-refused']));
  test('the public API key as the MCP token, told by its claims', async () => {
    const r = await diagnosed(v2(), SERVER, `Bearer ${PUBLIC_KEY}`);
    expect(r.modes).toEqual(['mcp-token-is-public-api-key']);
    expect(r.evidence).toContain('aud public-api');
  });
  test('an OAuth token issued before the base URL changed: JWT Verification Failed, its audience another URL', async () => {
    const r = await diagnosed(v2(), SERVER, `Bearer ${await oauthToken('https://old.example.com/mcp-server/http')}`);
    expect(r.modes).toEqual(['mcp-token-audience-mismatch']);
    expect(r.evidence).toContain('https://old.example.com/mcp-server/http');
  });
  test('a revoked OAuth token: Access Token Not Found in Database', async () => {
    const r = await diagnosed(v2({ revoked: true }), SERVER, `Bearer ${await oauthToken('http://n8n.example.com/mcp-server/http')}`);
    expect(r.modes).toEqual(['mcp-token-revoked']);
    expect(r.evidence).toContain('an OAuth access token');
  });
  test('the MCP key with "Bearer ": accepted, nothing named', async () => {
    const r = await diagnosed(v2(), SERVER, `Bearer ${MCP_KEY}`);
    expect(r.modes).toEqual([]);
    expect(r.notes).toContain('takes the token');
  });
  test('a proxy that forwards only /mcp-server/: discovery broken', async () => {
    const r = await diagnosed(v2({ wellKnown: 'nginx' }), SERVER);
    expect(r.modes).toEqual(['mcp-discovery-broken']);
    expect(r.evidence).toContain('404');
  });
  test("n8n's base URL is not the URL called: the challenge and metadata name http://localhost:5678", async () => {
    const r = await diagnosed(v2({ baseUrl: 'http://localhost:5678' }), SERVER);
    expect(r.modes).toEqual(['mcp-base-url-mismatch']);
    expect(r.evidence).toContain('http://localhost:5678/.well-known/oauth-protected-resource/mcp-server/http');
  });
});

describe("the doctor reads n8n 1.116.2's MCP server", () => {
  test('no mcp module: Express\'s "Cannot POST /mcp-server/http"', async () =>
    expect((await diagnosed(v1({ notLoaded: true }), SERVER, `Bearer ${MCP_KEY}`)).modes).toEqual(['mcp-module-not-loaded']));
  test('MCP access off: 403 "MCP access is disabled" to a valid key', async () =>
    expect((await diagnosed(v1({ off: true }), SERVER, `Bearer ${MCP_KEY}`)).modes).toEqual(['mcp-access-disabled']));
  test('an empty token; no token given: no OAuth discovery to check', async () => {
    expect((await diagnosed(v1(), SERVER, '')).modes).toEqual(['mcp-token-missing']);
    const r = await diagnosed(v1(), SERVER);
    expect(r.modes).toEqual([]);
    expect(r.notes).toContain('no OAuth discovery to check');
  });
  test('the key without "Bearer ": a 500, then accepted with the prefix', async () =>
    expect((await diagnosed(v1(), SERVER, MCP_KEY)).modes).toEqual(['mcp-token-not-bearer']));
  test('the public API key', async () => expect((await diagnosed(v1(), SERVER, `Bearer ${PUBLIC_KEY}`)).modes).toEqual(['mcp-token-is-public-api-key']));
  test('an OAuth token: refused, and 1.x has no OAuth for MCP', async () => {
    const r = await diagnosed(v1(), SERVER, `Bearer ${await oauthToken('http://localhost:5678/mcp-server/http')}`);
    expect(r.modes).toEqual(['mcp-token-refused']);
    expect(r.evidence).toContain('serves no OAuth');
  });
});

describe('the doctor reads an MCP Server Trigger', () => {
  const path = '/mcp/doc-bearer';
  test('an empty token', async () => expect((await diagnosed(trigger(), path, '')).modes).toEqual(['mcp-token-missing']));
  test('a wrong token: 403 "Authorization data is wrong!"', async () =>
    expect((await diagnosed(trigger(), path, 'Bearer wrong')).modes).toEqual(['mcp-trigger-auth-refused']));
  test('the right token without "Bearer "', async () => expect((await diagnosed(trigger(), path, TRIGGER_TOKEN)).modes).toEqual(['mcp-token-not-bearer']));
  test('the right token: nothing named', async () => expect((await diagnosed(trigger(), path, `Bearer ${TRIGGER_TOKEN}`)).modes).toEqual([]));
  test('no credential on the node (1.116.2)', async () =>
    expect((await diagnosed(trigger({ noCredential: true }), path, `Bearer ${TRIGGER_TOKEN}`)).modes).toEqual(['mcp-trigger-auth-unconfigured']));
  test('not published (2.41.0 refuses to publish it without a credential)', async () =>
    expect((await diagnosed(trigger({ unpublished: true }), path, '')).modes).toEqual(['webhook-not-registered']));
});

describe('the MCP check in the whole decision tree (runDoctor)', () => {
  /** n8n answering /healthz, its public API (on: 401 without a key; off: 1.x's 404) and MCP as 2.41.0 with access off. */
  async function doctorOn(publicApi: 'on' | 'off', mcpUrl?: (origin: string) => string) {
    const mcp = v2({ off: true });
    const server = createServer((req, res) => {
      const [status, headers, body]: Answer =
        req.url === '/healthz'
          ? [200, {}, '{"status":"ok"}']
          : req.url?.startsWith('/api/v1/')
            ? publicApi === 'on'
              ? [401, {}, '{"message":"\'X-N8N-API-KEY\' header required"}']
              : [404, {}, '']
            : mcp(req, `http://${req.headers.host}`);
      req.resume().on('end', () => res.writeHead(status, headers).end(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      return await runDoctor({
        url: origin,
        executions: { limit: 0 },
        timeoutMs: 3000,
        mcp: { url: mcpUrl ? mcpUrl(origin) : `${origin}${SERVER}`, token: `Bearer ${MCP_KEY}` },
      });
    } finally {
      server.close();
    }
  }
  test('named after the key checks', async () => expect((await doctorOn('on')).diagnoses.map((d) => d.mode)).toEqual(['mcp-access-disabled']));
  test('still checked when the public API is off', async () =>
    expect((await doctorOn('off')).diagnoses.map((d) => d.mode)).toEqual(['public-api-disabled', 'mcp-access-disabled']));
  test('an MCP URL that does not answer: unreachable, what it left unchecked said', async () => {
    const report = await doctorOn('on', () => 'http://127.0.0.1:1/mcp-server/http');
    expect(report.unreachable.map((u) => [u.target, u.cause])).toEqual([['mcp', 'connection-refused']]);
    expect(report.unchecked.join('\n')).toContain('why n8n refuses the MCP client: the MCP URL did not answer');
  });
});
