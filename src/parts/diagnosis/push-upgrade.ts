import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { type ConnectTo, routeOf } from '../client/connect-to.ts';
import { record, type Exchange } from '../client/exchange.ts';
import { tlsOptionsOf, type TlsTrust } from '../client/tls-trust.ts';

/** n8n's push endpoint; a pushRef of the doctor's own, so n8n's answer is about the upgrade, not a missing parameter. */
const PUSH_PATH = '/rest/push?pushRef=authlab-doctor';
/** A websocket key as RFC 6455 shapes it (16 bytes, base64): any will do for a handshake that is closed at once. */
const WEBSOCKET_KEY = 'YXV0aGxhYi1kb2N0b3IhIQ==';

/**
 * A websocket handshake on n8n's push endpoint, without a session: n8n's websocket backend takes
 * the upgrade (101) before it checks the session and then closes; a proxy that does not pass
 * Upgrade and Connection on turns it into a plain GET, which n8n refuses with 401.
 */
export function pushHandshake(label: string, base: string, timeoutMs: number, tls?: TlsTrust, connectTo?: readonly ConnectTo[]): Promise<Exchange> {
  const url = `${base}${PUSH_PATH}`;
  const headers: Array<[string, string]> = [
    ['Connection', 'Upgrade'],
    ['Upgrade', 'websocket'],
    ['Sec-WebSocket-Version', '13'],
    ['Sec-WebSocket-Key', WEBSOCKET_KEY],
  ];
  const done = (response?: { status: number; body: string }, error?: string) =>
    record({ label, via: 'raw-socket', request: { method: 'GET', url, headers }, ...(response ? { response } : {}), ...(error ? { error } : {}) });
  return new Promise((resolve) => {
    const target = new URL(url);
    const name = target.hostname.replace(/^\[|\]$/g, '');
    const to = routeOf(target, connectTo);
    // One socket of our own (where --connect-to sends it; TLS checked for the URL's name), so no agent pools it;
    // without an agent, Node writes the port into Host unless told the scheme's default.
    const options = { headers: Object.fromEntries(headers), timeout: timeoutMs };
    const req =
      target.protocol === 'https:'
        ? requestTls(url, { ...options, defaultPort: 443, createConnection: () => connectTls({ ...to, ...tlsOptionsOf(tls, name) }) })
        : request(url, { ...options, defaultPort: 80, createConnection: () => connect(to) });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(done({ status: res.statusCode ?? 101, body: `upgraded: ${res.headers.upgrade ?? ''}` }));
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => void (body.length < 300 && (body += c.toString())));
      res.on('end', () => resolve(done({ status: res.statusCode ?? 0, body: body.slice(0, 300) })));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (err) => resolve(done(undefined, err.message)));
    req.end();
  });
}

const upgraded = (e: Exchange) => e.response?.status === 101;
const answer = (e: Exchange) => (e.response ? `${e.response.status}${e.response.body ? ` ${e.response.body.slice(0, 60)}` : ''}` : `no answer (${e.error})`);

/**
 * n8n takes the handshake straight (its websocket push backend) and the proxy does not: the proxy
 * does not pass the upgrade on, and the editor behind it loses its push connection. Where n8n
 * itself does not upgrade (the SSE backend), there is nothing to compare.
 */
export function pushUpgradeReading(direct: Exchange, proxied: Exchange): { trap: boolean; line: string } {
  if (!upgraded(direct))
    return { trap: false, line: `n8n does not take a websocket on /rest/push straight (${answer(direct)}): its push backend is not websocket` };
  if (upgraded(proxied)) return { trap: false, line: 'the proxy passes the websocket upgrade on /rest/push (101 straight and through it)' };
  return {
    trap: true,
    line: `a websocket handshake on /rest/push: n8n upgrades it straight (101), the proxy answers ${answer(proxied)}: it does not pass Upgrade and Connection on`,
  };
}
