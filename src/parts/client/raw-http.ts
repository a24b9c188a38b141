import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { type ConnectTo, routeOf } from './connect-to.ts';
import { ANSWER_WAIT_MS, escapeBytes, record, type Exchange } from './exchange.ts';
import { tlsOptionsOf, type TlsTrust } from './tls-trust.ts';

interface RawRequest {
  label: string;
  url: string;
  method?: string;
  /** Header values go on the wire as UTF-8 bytes, untouched: a trailing "\n", a ZWSP or an NBSP included. */
  headers: Array<[string, string | Buffer]>;
  /** A JSON body (sent with Content-Type and Content-Length, as curl -d with -H would). */
  json?: unknown;
  /** Any other body, with its Content-Type (a multipart form as a browser submits it); ignored when `json` is given. */
  body?: { contentType: string; bytes: Buffer };
  timeoutMs?: number;
  /** Response headers to record with the answer (a WWW-Authenticate challenge, say); none by default. */
  keepResponseHeaders?: string[];
  /** For https URLs: what to trust beyond the system's CAs (a private CA, or nothing: --insecure). */
  tls?: TlsTrust;
  /** curl's --connect-to: where a request for a host:port really connects. */
  connectTo?: readonly ConnectTo[];
  /** Sees the answer whole, before it is recorded masked and cut to length (a session cookie to register as a secret, a long list to read). */
  onResponse?: (response: { status: number; body: string; headers?: Array<[string, string]> }) => void;
}

/**
 * Sends a request over a plain socket (a TLS socket for https) with exactly the bytes curl would
 * send for the same command line: no validation, no trimming, no re-encoding. Node's own clients
 * refuse or rewrite such headers, which is why this exists.
 */
export async function rawRequest(req: RawRequest): Promise<Exchange> {
  const url = new URL(req.url);
  const sent = req.json !== undefined ? { contentType: 'application/json', bytes: Buffer.from(JSON.stringify(req.json)) } : req.body;
  const method = req.method ?? (sent === undefined ? 'GET' : 'POST');
  const body = sent?.bytes;
  const headers: Array<[string, string | Buffer]> = sent
    ? [...req.headers, ['Content-Type', sent.contentType], ['Content-Length', String(sent.bytes.length)]]
    : req.headers;
  // The same head curl 7.88 sends for `curl -H 'name: value' URL`, in the same order.
  const head = Buffer.concat([
    Buffer.from(`${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n`, 'latin1'),
    ...headers.map(([name, value]) => Buffer.concat([Buffer.from(`${name}: `, 'latin1'), Buffer.from(value), Buffer.from('\r\n')])),
    Buffer.from('\r\n', 'latin1'),
  ]);
  const message = body ? Buffer.concat([head, body]) : head;
  const shown = req.headers.map(([k, v]) => [k, escapeBytes(Buffer.from(v))] as [string, string]);
  const base = { label: req.label, via: 'raw-socket' as const, request: { method, url: req.url, headers: shown, wire: escapeBytes(head) } };
  try {
    const raw = await exchangeBytes(url, message, req.timeoutMs ?? ANSWER_WAIT_MS, req.tls, req.connectTo);
    const response = parseResponse(raw, req.keepResponseHeaders);
    req.onResponse?.(response);
    return record({ ...base, response });
  } catch (err) {
    return record({ ...base, error: errorLine(err as NodeJS.ErrnoException) });
  }
}

/** The error's message with its code when the message leaves it out (TLS errors do: "self-signed certificate"). */
function errorLine(err: NodeJS.ErrnoException): string {
  return err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
}

/** A socket to the URL's host (or where --connect-to sends it): TLS for https (SNI and the certificate checked for the URL's name, as curl does), plain TCP otherwise. */
function open(url: URL, trust: TlsTrust | undefined, connectTo: readonly ConnectTo[] | undefined): { socket: Socket; ready: 'connect' | 'secureConnect' } {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const { host, port } = routeOf(url, connectTo);
  if (url.protocol === 'https:') return { socket: connectTls({ host, port, ...tlsOptionsOf(trust, hostname) }), ready: 'secureConnect' };
  return { socket: connect({ host, port }), ready: 'connect' };
}

function exchangeBytes(url: URL, head: Buffer, timeoutMs: number, trust: TlsTrust | undefined, connectTo: readonly ConnectTo[] | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { socket, ready } = open(url, trust, connectTo);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on(ready, () => socket.write(head));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const sofar = Buffer.concat(chunks);
      if (isComplete(sofar)) {
        socket.destroy();
        resolve(sofar);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** A response is complete at its Content-Length, or at the last chunk of a chunked body. */
function isComplete(raw: Buffer): boolean {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const head = raw.subarray(0, split).toString('latin1');
  const body = raw.subarray(split + 4);
  const length = /^content-length:\s*(\d+)/im.exec(head);
  if (length) return body.length >= Number(length[1]);
  if (/^transfer-encoding:\s*chunked/im.test(head)) return body.subarray(-5).toString('latin1') === '0\r\n\r\n';
  return /^HTTP\/1\.[01] (204|304)/.test(head);
}

export function parseResponse(raw: Buffer, keepHeaders: string[] = []): { status: number; body: string; headers?: Array<[string, string]> } {
  const split = raw.indexOf('\r\n\r\n');
  const headText = raw.subarray(0, split < 0 ? raw.length : split).toString('latin1');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headText)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP response: ${escapeBytes(raw.subarray(0, 80))}`);
  let body = split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4);
  if (/^transfer-encoding:\s*chunked/im.test(headText)) body = dechunk(body);
  const wanted = new Set(keepHeaders.map((h) => h.toLowerCase()));
  const headers = headText
    .split('\r\n')
    .slice(1)
    .map((line): [string, string] => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()])
    .filter(([name]) => wanted.has(name.toLowerCase()));
  return { status, body: body.toString('utf8'), ...(wanted.size ? { headers } : {}) };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
