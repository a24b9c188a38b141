import { mkdtempSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestCertificate, type TestCertificate } from '../../src/parts/browser/test-certificate.ts';
import { rawRequest } from '../../src/parts/client/raw-http.ts';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';

// Real sockets on this machine: a port nothing listens on, a name that cannot resolve, an https
// server with a certificate openssl makes here, and a port that takes connections and never answers.
/** The key the https stand-in takes (any value: the stand-in checks no signature). */
const GOOD_KEY = 'n8n_api_0123456789abcdef0123456789abcdef';
let cert: TestCertificate;
let https: TlsServer;
let silent: TcpServer;
let httpsPort = 0;
let silentPort = 0;

const portOf = (s: TlsServer | TcpServer) => (s.address() as { port: number }).port;

beforeAll(async () => {
  cert = await makeTestCertificate('localhost', mkdtempSync(join(tmpdir(), 'authlab-tls-')));
  https = createTlsServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    if (req.url === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (req.headers['x-n8n-api-key'] === GOOD_KEY) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[],"nextCursor":null}');
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"\'X-N8N-API-KEY\' header required"}');
  });
  silent = createTcpServer(() => undefined);
  await Promise.all([new Promise<void>((r) => https.listen(0, '127.0.0.1', r)), new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))]);
  [httpsPort, silentPort] = [portOf(https), portOf(silent)];
});
afterAll(() => {
  https.close();
  silent.close();
});

const unreachable = async (url: string, input: Partial<Parameters<typeof runDoctor>[0]> = {}) => {
  const report = await runDoctor({ url, executions: { limit: 0 }, timeoutMs: 1500, ...input });
  return report.unreachable[0];
};

describe('https: the raw client speaks TLS and still sends the bytes as given', () => {
  test('a trailing newline in a header reaches an https server as it would over http', async () => {
    const e = await rawRequest({
      label: 'tls',
      url: `https://localhost:${httpsPort}/api/v1/workflows`,
      headers: [['X-N8N-API-KEY', 'k\n']],
      tls: { ca: cert.certPem },
    });
    expect(e.request.wire).toContain('X-N8N-API-KEY: k\\n\\r\\n');
    expect(e.error ?? '').toBe('');
  });

  test('the certificate the test made is trusted with --ca-bundle, refused without it, and not checked with --insecure', async () => {
    const url = `https://localhost:${httpsPort}/healthz`;
    expect((await rawRequest({ label: 'ca', url, headers: [], tls: { ca: cert.certPem } })).response?.status).toBe(200);
    expect((await rawRequest({ label: 'none', url, headers: [] })).error).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect((await rawRequest({ label: 'insecure', url, headers: [], tls: { insecure: true } })).response?.status).toBe(200);
  });
});

describe('https: every request of the doctor trusts the CA it is given', () => {
  test("the key and n8n's executions are read over https with --ca-bundle", async () => {
    const report = await runDoctor({ url: `https://localhost:${httpsPort}`, key: GOOD_KEY, tls: { ca: cert.certPem } });
    expect(report.unreachable).toEqual([]);
    expect(report.notes.join('\n')).toContain('the key works straight on n8n: 200');
    expect(report.executions?.readable).toBe(true);
    expect(report.probes.find((p) => p.via === 'node-fetch')?.response?.status).toBe(200);
  });
});

describe('a URL that does not answer is told by its cause, with next steps and what went unchecked', () => {
  test('connection refused: the URL and port, docker compose ps and logs', async () => {
    const u = await unreachable('http://127.0.0.1:1', { key: 'k', proxyUrl: 'http://127.0.0.1:2' });
    expect(u?.cause).toBe('connection-refused');
    expect(u?.nextSteps.join('\n')).toMatch(/nothing listens on 127\.0\.0\.1:1[^]*docker compose ps[^]*docker compose logs n8n/);
    expect(u?.unchecked).toEqual(expect.arrayContaining(['the public API', 'the proxy', expect.stringMatching(/^the key/)]));
  });

  test('an unknown host that looks like a compose service name: the published port instead', async () => {
    const u = await unreachable('http://n8n-authlab-no-such-service:5678');
    expect(u?.cause).toBe('unknown-host');
    expect(u?.nextSteps[0]).toMatch(/compose service name[^]*--url http:\/\/localhost:5678/);
  });

  test('a certificate from a CA this machine does not trust: --ca-bundle or --insecure', async () => {
    const u = await unreachable(`https://localhost:${httpsPort}`);
    expect(u?.cause).toBe('tls');
    expect(u?.nextSteps[0]).toMatch(/--ca-bundle[^]*--insecure/);
  });

  test('a certificate for another name: use the name it was issued for', async () => {
    const u = await unreachable(`https://127.0.0.1:${httpsPort}`, { tls: { ca: cert.certPem } });
    expect(u?.cause).toBe('tls');
    expect(u?.nextSteps[0]).toMatch(/not issued for 127\.0\.0\.1/);
  });

  test('https on a port that speaks plain http: use http://', async () => {
    const plain = createTcpServer((s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const u = await unreachable(`https://127.0.0.1:${portOf(plain)}`);
      expect(u?.cause).toBe('tls');
      expect(u?.nextSteps[0]).toMatch(/does not speak TLS: use http:\/\//);
    } finally {
      plain.close();
    }
  });

  test("http:// to a port that serves TLS (NGINX's 400 page): use https://", async () => {
    const page = '<html><center><h1>400 Bad Request</h1></center><center>The plain HTTP request was sent to HTTPS port</center></html>';
    const tlsPort = createTcpServer((s) => s.end(`HTTP/1.1 400 Bad Request\r\nContent-Length: ${page.length}\r\n\r\n${page}`));
    await new Promise<void>((r) => tlsPort.listen(0, '127.0.0.1', r));
    try {
      const u = await unreachable(`http://127.0.0.1:${portOf(tlsPort)}`);
      expect(u?.cause).toBe('tls');
      expect(u?.nextSteps[0]).toMatch(/serves TLS and was asked in plain http: use https:\/\//);
    } finally {
      tlsPort.close();
    }
  });

  test('a port that takes the connection and never answers: a timeout', async () => {
    const u = await unreachable(`http://127.0.0.1:${silentPort}`);
    expect(u?.cause).toBe('timeout');
  });

  test('a proxy that does not answer leaves n8n checked and the proxy unchecked', async () => {
    const report = await runDoctor({
      url: `https://localhost:${httpsPort}`,
      proxyUrl: 'http://127.0.0.1:1',
      executions: { limit: 0 },
      tls: { ca: cert.certPem },
    });
    expect(report.unreachable.map((u) => [u.target, u.cause])).toEqual([['proxy', 'connection-refused']]);
    expect(report.notes.join('\n')).toContain('public API: not off');
    expect(report.healthy).toBe(false);
  });
});
