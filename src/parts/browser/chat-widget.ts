import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Route } from 'playwright-core';
import { authlabHome } from '../../base/authlab-home.ts';
import { cachedPack } from '../images/tarball-cache.ts';

/**
 * The release of n8n's chat widget (npm `@n8n/chat`) served where n8n's hosted chat page imports it
 * from: `https://cdn.jsdelivr.net/npm/@n8n/chat/dist/chat.bundle.es.js`, unversioned there (the
 * CDN's latest). Pinned so that a run's page is the same from day to day; its evidence names it.
 */
export const CHAT_WIDGET_VERSION = '1.37.0';
const DIST_PATH = '/npm/@n8n/chat/dist/';
const CDN = 'https://cdn.jsdelivr.net/**';

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.ico': 'image/x-icon' };

const run = promisify(execFile);
let unpacked: Promise<string> | undefined;

/** The widget's `dist/`, unpacked once per machine from the npm registry's tarball (kept with the image builds' tarballs). */
function widgetDist(): Promise<string> {
  unpacked ??= (async () => {
    const home = authlabHome('chat-widget', CHAT_WIDGET_VERSION);
    const dist = join(home, 'package', 'dist');
    if (existsSync(join(dist, 'chat.bundle.es.js'))) return dist;
    await mkdir(dirname(home), { recursive: true });
    const work = await mkdtemp(`${home}.part-`);
    try {
      const tarball = join(work, 'chat.tgz');
      await cachedPack(`@n8n/chat@${CHAT_WIDGET_VERSION}`, tarball, () => undefined);
      await run('tar', ['-xzf', tarball, '-C', work]);
      await rm(tarball);
      await rm(home, { recursive: true, force: true });
      await rename(work, home);
    } catch (err) {
      await rm(work, { recursive: true, force: true });
      unpacked = undefined;
      throw new Error(
        `n8n's chat widget @n8n/chat@${CHAT_WIDGET_VERSION} could not be fetched from the npm registry: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    return dist;
  })();
  return unpacked;
}

async function serveFrom(dist: string, route: Route): Promise<void> {
  const path = new URL(route.request().url()).pathname;
  const headers = { 'access-control-allow-origin': '*' };
  if (path.startsWith(DIST_PATH)) {
    const file = normalize(join(dist, path.slice(DIST_PATH.length)));
    if (file.startsWith(dist) && existsSync(file)) {
      return route.fulfill({ status: 200, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', headers, body: await readFile(file) });
    }
    return route.fulfill({ status: 404, headers, body: '' });
  }
  // normalize.css, the page's only other CDN file, is a style reset: no behaviour to keep.
  return route.fulfill({ status: 200, contentType: 'text/css', headers, body: '' });
}

/**
 * n8n's hosted chat imports its widget from cdn.jsdelivr.net, which no test network reaches (and a
 * page whose module import fails runs none of its script): the browser is handed the real widget,
 * the npm release the CDN serves, from this process, with the CORS header the CDN sends (a 2.x
 * chat frame is sandboxed, its origin opaque).
 */
export async function serveChatWidget(context: BrowserContext): Promise<void> {
  const dist = await widgetDist();
  await context.route(CDN, (route) => serveFrom(dist, route));
}
