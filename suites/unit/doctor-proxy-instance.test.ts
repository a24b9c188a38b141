import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';
import { stampOf } from '../../src/parts/diagnosis/instance-identity.ts';

// The proxy branch of the decision tree against stand-ins: a key refused through the proxy is a
// lost key when what answers there is this n8n, and another n8n when its key-less answers differ.
const KEY = 'n8n_api_0123456789abcdef0123456789abcdef';
const ASSET = '/assets/index-Bx1.js';

interface StandIn {
  /** What /rest/settings tells a caller without a key: 1.x names the instance and version; 2.x only public settings. */
  settings: Record<string, unknown>;
  /** When this n8n started: its editor assets' Last-Modified. */
  startedAt: Date;
  knowsKey: boolean;
}

function standIn(n8n: StandIn): Server {
  return createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/healthz') return json(200, { status: 'ok' });
    if (req.url === '/rest/settings') return json(200, { data: n8n.settings });
    if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script type="module" src="${ASSET}"></script>`);
    if (req.url === ASSET)
      return res
        .writeHead(206, { etag: `W/"b38ad-${n8n.startedAt.getTime().toString(16)}"`, 'last-modified': n8n.startedAt.toUTCString(), 'content-length': '1' })
        .end('x');
    const key = req.headers['x-n8n-api-key'];
    if (!key) return json(401, { message: "'X-N8N-API-KEY' header required" });
    return key === KEY && n8n.knowsKey ? json(200, { data: [], nextCursor: null }) : json(401, { message: 'Unauthorized' });
  });
}

/** A proxy in front of `upstream` that forwards every request without the key header. */
function keyDroppingProxy(upstream: string): Server {
  return createServer((req, res) => {
    const { 'x-n8n-api-key': _dropped, ...headers } = req.headers;
    const out = request(`${upstream}${req.url}`, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
}

const servers: Server[] = [];
async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}
afterAll(() => {
  for (const s of servers) s.close();
});

const v1 = (instanceId: string) => ({ instanceId, versionCli: '1.116.2', settingsMode: undefined });
const v2Public = { settingsMode: 'public', userManagement: { showSetupOnFirstLoad: false } };
let n8n1x = '';
let other1x = '';
let n8n2x = '';
let other2x = '';
let dropping = '';

beforeAll(async () => {
  n8n1x = await listen(standIn({ settings: v1('a1'), startedAt: new Date(Date.UTC(2026, 10, 30, 0, 1, 2)), knowsKey: true }));
  other1x = await listen(standIn({ settings: v1('b2'), startedAt: new Date(Date.UTC(2026, 10, 30, 0, 3, 4)), knowsKey: false }));
  n8n2x = await listen(standIn({ settings: v2Public, startedAt: new Date(Date.UTC(2026, 10, 30, 0, 1, 2, 345)), knowsKey: true }));
  other2x = await listen(standIn({ settings: v2Public, startedAt: new Date(Date.UTC(2026, 10, 30, 0, 1, 2, 678)), knowsKey: false }));
  dropping = await listen(keyDroppingProxy(n8n2x));
});

const named = async (url: string, proxyUrl: string) => {
  const r = await runDoctor({ url, proxyUrl, key: KEY, executions: { limit: 0 } });
  return { modes: r.diagnoses.map((d) => d.mode), evidence: r.diagnoses.flatMap((d) => d.evidence).join('\n') };
};

describe('the doctor: a proxy that reaches another n8n is not a proxy that loses the key', () => {
  test('n8n 1.x: the instance id behind the proxy differs', async () => {
    const r = await named(n8n1x, other1x);
    expect(r.modes).toEqual(['proxy-routes-to-another-n8n']);
    expect(r.evidence).toContain('instanceId a1 straight, b2 through the proxy');
  });

  test("n8n 2.x (public settings alike): the editor assets' start stamp differs, to the millisecond", async () => {
    const r = await named(n8n2x, other2x);
    expect(r.modes).toEqual(['proxy-routes-to-another-n8n']);
    expect(r.evidence).toMatch(/assets\/index-Bx1\.js: .* straight, .* through the proxy/);
  });

  test('the same n8n behind a proxy that drops the key: proxy-loses-key, as before', async () => {
    const r = await named(n8n2x, dropping);
    expect(r.modes).toEqual(['proxy-loses-key']);
    expect(r.evidence).toContain("the same n8n as straight (the same editor assets' start stamp)");
  });

  test('the same stamp with its headers in another order (Caddy sends ETag before Last-Modified) is the same n8n', () => {
    const straight = {
      response: {
        status: 206,
        body: '',
        headers: [
          ['last-modified', 'Mon, 30 Nov 2026 01:17:12 GMT'],
          ['etag', 'W/"35da3"'],
        ] as Array<[string, string]>,
      },
    };
    const proxied = {
      response: {
        status: 206,
        body: '',
        headers: [
          ['ETag', 'W/"35da3"'],
          ['Last-Modified', 'Mon, 30 Nov 2026 01:17:12 GMT'],
        ] as Array<[string, string]>,
      },
    };
    expect(stampOf(proxied)).toBe(stampOf(straight));
  });
});
