import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { curlProbe } from '../../src/parts/client/curl.ts';
import { describeExchange } from '../../src/parts/client/exchange.ts';
import { fetchProbe } from '../../src/parts/client/node-fetch-probe.ts';
import { rawRequest } from '../../src/parts/client/raw-http.ts';

/** A TCP server that records the bytes of each request head and answers 200. */
let server: Server;
let port = 0;
const heads: Buffer[] = [];

beforeAll(async () => {
  server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.includes('\r\n\r\n')) {
        heads.push(buf);
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const KEY = 'test-key-0123456789';
const cases: Array<[string, string]> = [
  ['trailing newline', `${KEY}\n`],
  ['zero-width space', `${KEY}\u200b`],
  ['NBSP', `${KEY}\u00a0`],
  ['surrounding spaces', `  ${KEY}  `],
];

describe('the raw client sends what curl sends', () => {
  for (const [name, value] of cases) {
    test(`a key with a ${name}: the same bytes as real curl`, async () => {
      const url = `http://127.0.0.1:${port}/api/v1/workflows`;
      heads.length = 0;
      const viaCurl = await curlProbe(name, url, [['X-N8N-API-KEY', value]]);
      const viaRaw = await rawRequest({ label: name, url, headers: [['X-N8N-API-KEY', value]] });
      expect(viaCurl.response?.status).toBe(200);
      expect(viaRaw.response).toEqual({ status: 200, body: 'ok' });
      expect(heads).toHaveLength(2);
      expect(heads[1]!.toString('latin1')).toBe(heads[0]!.toString('latin1'));
      expect(heads[1]!.includes(Buffer.from(value))).toBe(true);
    });
  }
});

describe("Node's fetch with the same keys", () => {
  test('refuses a zero-width space before sending anything', async () => {
    heads.length = 0;
    const e = await fetchProbe('zwsp', `http://127.0.0.1:${port}/`, [['X-N8N-API-KEY', `${KEY}\u200b`]]);
    expect(e.outcome).toBe('not-sent');
    expect(e.error).toMatch(/ByteString|invalid/i);
    expect(heads).toHaveLength(0);
  });

  test('sends an NBSP as the single byte 0xA0, not as UTF-8', async () => {
    heads.length = 0;
    const e = await fetchProbe('nbsp', `http://127.0.0.1:${port}/`, [['X-N8N-API-KEY', `${KEY}\u00a0`]]);
    expect(e.outcome).toBe('accepted');
    expect(heads[0]!.includes(Buffer.from([...Buffer.from(KEY), 0xa0, 0x0d, 0x0a]))).toBe(true);
  });

  test('strips a trailing newline and surrounding spaces', async () => {
    heads.length = 0;
    await fetchProbe('newline', `http://127.0.0.1:${port}/`, [['X-N8N-API-KEY', `  ${KEY}\n`]]);
    expect(heads[0]!.toString('latin1').toLowerCase()).toContain(`x-n8n-api-key: ${KEY}\r\n`);
  });
});

describe('response headers a probe keeps', () => {
  test('only the named ones are recorded, shown in the evidence line', async () => {
    const url = `http://127.0.0.1:${port}/webhook/x`;
    const kept = await rawRequest({ label: 'kept', url, headers: [], keepResponseHeaders: ['content-type'] });
    expect(kept.response?.headers).toEqual([['Content-Type', 'text/plain']]);
    expect(describeExchange(kept)).toContain('-> 200 [Content-Type: text/plain] ok');
    const plain = await rawRequest({ label: 'plain', url, headers: [] });
    expect(plain.response).toEqual({ status: 200, body: 'ok' });
  });
});
