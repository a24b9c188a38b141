import type { BrowserContext, Route } from 'playwright-core';
import { fetch } from 'undici';
import { dispatcherFor } from '../client/tls-trust.ts';

/** n8n's editor scripts and styles: content-hashed file names, the same bytes for as long as the URL stays. */
const ASSETS = /\/assets\/[^/?#]+$/;
/** Headers that describe the bytes on the wire, not the body handed to the browser (fetch has decoded it). */
const WIRE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);
/** Beyond this the cache starts over (an editor build is some tens of MB). */
const CACHE_LIMIT_BYTES = 256 * 1024 * 1024;

interface Asset {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const cache = new Map<string, Asset>();
let cachedBytes = 0;

/**
 * Over https the page is n8n behind a test's own certificate, which the browser trusts by its key:
 * this process fetches the same bytes without checking it (local stacks only), so that those assets
 * are served from here too and not left to the browser's network.
 */
const testTls = dispatcherFor({ insecure: true });

async function fetchAsset(url: string): Promise<Asset> {
  const res = await fetch(url, url.startsWith('https:') ? { dispatcher: testTls } : {});
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!WIRE_HEADERS.has(name)) headers[name] = value;
  });
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function serve(route: Route): Promise<void> {
  const url = route.request().url();
  let asset = cache.get(url);
  if (!asset) {
    asset = await fetchAsset(url).catch(() => undefined);
    if (!asset) return route.continue();
    if (asset.status === 200) {
      if (cachedBytes > CACHE_LIMIT_BYTES) cache.clear(), (cachedBytes = 0);
      cache.set(url, asset);
      cachedBytes += asset.body.length;
    }
  }
  await route.fulfill({ status: asset.status, headers: asset.headers, body: asset.body });
}

/**
 * The editor's static assets (hundreds of script and style files under /assets/) are fetched by this
 * process, through the same URL, and handed to the browser, once per URL: Chromium aborts whatever
 * it has in flight when Docker adds or removes a network interface (any stack on the machine,
 * net::ERR_NETWORK_CHANGED), and an editor that loses one of its scripts stays blank. The
 * document, n8n's API calls and its push connection still go through the browser's own network.
 */
export async function serveAssetsFromTest(context: BrowserContext): Promise<void> {
  await context.route(ASSETS, serve);
}
