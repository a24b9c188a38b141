/**
 * The provider container's entry point, run by the Node.js of the n8n image: serves the msw
 * handlers of the providers named in PROVIDERS over real HTTP and prints one line per request,
 * with the exact headers received, for the host to read from the container's log.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { getResponse, type RequestHandler } from 'msw';
import { PROVIDERS } from './catalog.ts';
import { encodeRawHeaders, RAW_HEADERS } from './raw-headers.ts';
import { PROVIDER_PORT, PROVIDER_READY_LINE, PROVIDER_RECORD_PREFIX, type ProviderRecord } from './types.ts';

const names = (process.env.PROVIDERS ?? '').split(',').filter(Boolean);
const handlers = new Map<string, RequestHandler[]>();
for (const name of names) {
  const provider = PROVIDERS[name as keyof typeof PROVIDERS];
  if (!provider) throw new Error(`unknown provider "${name}"; known: ${Object.keys(PROVIDERS).join(', ')}`);
  handlers.set(name, provider.handlers(process.env));
}

function rawHeaders(req: IncomingMessage): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return pairs;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The provider a request is for: its Host name (the network alias n8n called). */
function providerOf(req: IncomingMessage): string | undefined {
  const host = (req.headers.host ?? '').split(':')[0]!;
  return handlers.has(host) ? host : names.length === 1 ? names[0] : undefined;
}

createServer(async (req, res) => {
  const provider = providerOf(req);
  const body = await readBody(req);
  const headers = new Headers();
  // Headers() refuses some bytes a client may send (a stray control character); the raw pairs are recorded anyway.
  for (const [k, v] of rawHeaders(req)) {
    try {
      headers.append(k, v);
    } catch {
      /* recorded below, not passed to the handler */
    }
  }
  headers.set(RAW_HEADERS, encodeRawHeaders(rawHeaders(req)));
  const request = new Request(`http://${req.headers.host ?? 'provider'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    ...(body.length && req.method !== 'GET' && req.method !== 'HEAD' ? { body: new Uint8Array(body) } : {}),
  });
  const response =
    (provider && (await getResponse(handlers.get(provider)!, request))) ||
    Response.json({ message: `no handler for ${req.method} ${req.url}` }, { status: 404 });
  const text = await response.text();
  const record: ProviderRecord = {
    provider: provider ?? '?',
    method: req.method ?? '',
    path: req.url ?? '',
    headers: rawHeaders(req),
    status: response.status,
    body: text.slice(0, 4000),
  };
  process.stdout.write(`${PROVIDER_RECORD_PREFIX}${JSON.stringify(record)}}\n`);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(text);
}).listen(PROVIDER_PORT, () => console.log(`${PROVIDER_READY_LINE} on ${PROVIDER_PORT}: ${names.join(', ')}`));
