import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';

/** How a stand-in answers a websocket handshake on /rest/push. */
type OnUpgrade = 'upgrades' | 'refuses';

/**
 * A stand-in for n8n or a proxy: n8n's answers without a key, and a handshake either taken (101,
 * as n8n's websocket backend and a proxy that passes it on) or refused with 401 (n8n's SSE
 * backend, or a proxy that turned it into a plain GET).
 */
function standIn(onUpgrade: OnUpgrade): Server {
  const server = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/healthz') return json(200, { status: 'ok' });
    return json(401, { message: 'Unauthorized' });
  });
  server.on('upgrade', (_req, socket: Duplex) => {
    socket.end(
      onUpgrade === 'upgrades'
        ? 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n'
        : 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\nConnection: close\r\n\r\nUnauthorized',
    );
  });
  return server;
}

const servers = { n8n: standIn('upgrades'), sseN8n: standIn('refuses'), passingProxy: standIn('upgrades'), droppingProxy: standIn('refuses') };
const url = (s: Server) => `http://127.0.0.1:${(s.address() as { port: number }).port}`;

beforeAll(async () => {
  for (const s of Object.values(servers)) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
});
afterAll(() => {
  for (const s of Object.values(servers)) s.close();
});

describe('the doctor told the editor shows "Connection lost" (--push)', () => {
  test('names push-upgrade-dropped where n8n takes the websocket straight and the proxy does not', async () => {
    const r = await runDoctor({ url: url(servers.n8n), proxyUrl: url(servers.droppingProxy), push: true });
    expect(r.diagnoses.map((d) => d.mode)).toContain('push-upgrade-dropped');
    expect(r.diagnoses.find((d) => d.mode === 'push-upgrade-dropped')?.evidence[0]).toContain('the proxy answers 401');
  });

  test('is quiet where the proxy passes the upgrade on', async () => {
    const r = await runDoctor({ url: url(servers.n8n), proxyUrl: url(servers.passingProxy), push: true });
    expect(r.diagnoses.map((d) => d.mode)).not.toContain('push-upgrade-dropped');
    expect(r.notes.join('\n')).toContain('passes the websocket upgrade');
  });

  test('has nothing to compare where n8n itself takes no websocket (the SSE backend)', async () => {
    const r = await runDoctor({ url: url(servers.sseN8n), proxyUrl: url(servers.droppingProxy), push: true });
    expect(r.diagnoses.map((d) => d.mode)).not.toContain('push-upgrade-dropped');
    expect(r.notes.join('\n')).toContain('its push backend is not websocket');
  });

  test('without a proxy URL it says what it could not check; without --push it does not ask', async () => {
    expect((await runDoctor({ url: url(servers.n8n), push: true })).unchecked.join('\n')).toContain('no --proxy-url');
    const quiet = await runDoctor({ url: url(servers.n8n), proxyUrl: url(servers.droppingProxy) });
    expect(quiet.probes.some((p) => p.request.url.includes('/rest/push'))).toBe(false);
  });
});
