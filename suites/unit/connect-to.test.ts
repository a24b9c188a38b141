import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { parseConnectTo, routeOf } from '../../src/parts/client/connect-to.ts';
import { rawRequest } from '../../src/parts/client/raw-http.ts';
import { pushHandshake } from '../../src/parts/diagnosis/push-upgrade.ts';
import { run } from '../../src/cli/doctor-command.ts';

describe("the doctor's --connect-to (curl's)", () => {
  test('HOST1:PORT1:HOST2:PORT2, IPv6 in brackets; the name is compared case-blind', () => {
    expect(parseConnectTo('N8N.example.com:443:127.0.0.1:8443')).toEqual({ host: 'n8n.example.com', port: 443, toHost: '127.0.0.1', toPort: 8443 });
    expect(parseConnectTo('[::1]:80:[::1]:8080')).toEqual({ host: '::1', port: 80, toHost: '::1', toPort: 8080 });
  });

  test.each(['n8n.example.com:443', 'a:443:b', 'a:0:b:80', 'a:80:b:70000', 'a:x:b:80'])('%s: one line naming the form', (rule) => {
    expect(() => parseConnectTo(rule)).toThrow(`--connect-to ${rule}: expected HOST1:PORT1:HOST2:PORT2 (as curl's)`);
  });

  test('a rule applies to its host and port only (the scheme gives the default port)', () => {
    const rules = [parseConnectTo('mcp.lab:80:127.0.0.1:8080'), parseConnectTo('mcp.lab:443:127.0.0.1:8443')];
    expect(routeOf(new URL('http://mcp.lab/mcp-server/http'), rules)).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(routeOf(new URL('https://MCP.lab/'), rules)).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(routeOf(new URL('http://mcp.lab:81/'), rules)).toEqual({ host: 'mcp.lab', port: 81 });
    expect(routeOf(new URL('http://other.lab/'), rules)).toEqual({ host: 'other.lab', port: 80 });
  });

  test('a request for a name that does not resolve reaches the server the rule names, its Host header unchanged', async () => {
    const hosts: string[] = [];
    const server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.writeHead(req.headers.upgrade ? 426 : 200).end('ok');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const connectTo = [parseConnectTo(`n8n.invalid:80:127.0.0.1:${port}`)];
      const raw = await rawRequest({ label: 'raw', url: 'http://n8n.invalid/healthz', headers: [], connectTo });
      const push = await pushHandshake('push', 'http://n8n.invalid', 5_000, undefined, connectTo);
      expect([raw.response?.status, push.response?.status]).toEqual([200, 426]);
      expect(hosts).toEqual(['n8n.invalid', 'n8n.invalid']);
    } finally {
      server.close();
    }
  });

  test('bad --connect-to is bad input before any request', async () => {
    await expect(run({ url: 'http://127.0.0.1:1', 'connect-to': ['nope'] })).rejects.toThrow('--connect-to nope: expected HOST1:PORT1:HOST2:PORT2');
  });
});
