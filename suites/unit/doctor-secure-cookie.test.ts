import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { record } from '../../src/parts/client/exchange.ts';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';
import { insecureBrowserUrls, secureCookieReading } from '../../src/parts/diagnosis/secure-cookie.ts';

/** n8n's answer to GET /rest/settings, as 1.x and 2.x shape it (`data.authCookie.secure`). */
const settings = (secure: boolean | undefined) =>
  record({
    label: 'GET /rest/settings',
    via: 'raw-socket',
    request: { method: 'GET', url: 'http://n8n.example.com/rest/settings', headers: [] },
    response: { status: 200, body: JSON.stringify({ data: secure === undefined ? {} : { authCookie: { secure, samesite: 'lax' } } }) },
  });

describe("the doctor's secure-cookie warning", () => {
  test('only plain http by a name other than localhost is a browser trap', () => {
    expect(
      insecureBrowserUrls([
        'http://n8n.example.com:5678',
        'https://n8n.example.com',
        'http://localhost:5678',
        'http://app.localhost',
        'http://127.0.0.1:5678',
        'http://[::1]:5678',
        'http://10.0.0.5:5678',
        undefined,
        'not a url',
      ]),
    ).toEqual(['http://n8n.example.com:5678', 'http://10.0.0.5:5678']);
  });

  test("n8n's settings decide: Secure warns, not Secure is a note, no answer says so", () => {
    expect(secureCookieReading('http://n8n.example.com', settings(true))).toMatchObject({
      trap: true,
      line: expect.stringContaining('authCookie.secure is true'),
    });
    expect(secureCookieReading('http://n8n.example.com', settings(false))).toMatchObject({
      trap: false,
      line: expect.stringContaining('N8N_SECURE_COOKIE=false'),
    });
    expect(secureCookieReading('http://n8n.example.com', settings(undefined))).toMatchObject({ trap: false, line: expect.stringContaining('do not say') });
  });
});

// The whole doctor against a stand-in reached by this machine's own non-loopback address (not localhost).
const address = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
let n8n: Server;
let secure = true;

beforeAll(async () => {
  n8n = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/healthz') return json(200, { status: 'ok' });
    if (req.url === '/rest/settings') return json(200, { data: { authCookie: { secure, samesite: 'lax' } } });
    return json(401, { message: "'X-N8N-API-KEY' header required" });
  });
  await new Promise<void>((r) => n8n.listen(0, '0.0.0.0', r));
});
afterAll(() => n8n.close());

describe.skipIf(!address)('the doctor given an http URL that is not localhost', () => {
  const url = () => `http://${address}:${(n8n.address() as { port: number }).port}`;

  test('names secure-cookie-over-http when n8n says its cookie is Secure', async () => {
    secure = true;
    const r = await runDoctor({ url: url() });
    expect(r.diagnoses.map((d) => d.mode)).toEqual(['secure-cookie-over-http']);
    expect(r.probes.some((p) => p.request.url.endsWith('/rest/settings'))).toBe(true);
  });

  test('is healthy, with a note, when n8n runs with N8N_SECURE_COOKIE=false', async () => {
    secure = false;
    const r = await runDoctor({ url: url() });
    expect(r.diagnoses).toEqual([]);
    expect(r.notes.join('\n')).toContain('N8N_SECURE_COOKIE=false');
  });

  test('on localhost it does not ask', async () => {
    secure = true;
    const r = await runDoctor({ url: `http://127.0.0.1:${(n8n.address() as { port: number }).port}` });
    expect(r.diagnoses).toEqual([]);
    expect(r.probes.some((p) => p.request.url.endsWith('/rest/settings'))).toBe(false);
  });
});
