import type { CDPSession, Page, Response } from 'playwright-core';

/** n8n's push endpoint, under its REST prefix. */
export const PUSH_PATH = '/rest/push';
/** Request headers worth showing on a push attempt: what n8n compares. */
const SHOWN_HEADERS = ['host', 'origin', 'upgrade', 'connection', 'sec-fetch-site'];
const FRAMES_KEPT = 5;
/** How Chromium reports a 401 answer to a websocket handshake (it shows no status). */
const CHROMIUM_401 = /HTTP Authentication failed/;

/** One attempt of the editor's push connection, as the browser saw it. */
export interface PushAttempt {
  transport: 'websocket' | 'sse';
  url: string;
  /** The request headers n8n compares (Host, Origin, ...), as the browser sent them. */
  sent: Array<[string, string]>;
  /** The handshake's (websocket) or the stream's (SSE) HTTP status; 0 when none came. */
  status: number;
  /** The answer's body where it is short (an SSE refusal), or the browser's error. */
  text: string;
  /** Websocket text frames n8n sent (first few). */
  frames: string[];
  /** The connection ended (closed by either side, or failed). */
  ended: boolean;
  /** When its status came (ms since the epoch; 0 before). */
  answeredAt: number;
}

/** The attempts seen so far, first first. */
export interface PushWatch {
  attempts: () => PushAttempt[];
}

interface WsEvent {
  requestId: string;
  url?: string;
  request?: { headers: Record<string, string> };
  response?: { status?: number; statusText?: string; payloadData?: string };
  errorMessage?: string;
}

const isPush = (url: string) => new URL(url).pathname === PUSH_PATH;
const shown = (headers: Record<string, string>): Array<[string, string]> => {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return SHOWN_HEADERS.filter((h) => lower[h] !== undefined).map((h) => [h, lower[h]!]);
};

/** Websocket attempts through the DevTools protocol: playwright's own WebSocket shows no handshake status. */
async function watchWebsockets(cdp: CDPSession, seen: Map<string, PushAttempt>): Promise<void> {
  const attempt = (e: WsEvent) => seen.get(e.requestId);
  cdp.on('Network.webSocketCreated', (e: WsEvent) => {
    if (e.url && isPush(e.url))
      seen.set(e.requestId, { transport: 'websocket', url: e.url, sent: [], status: 0, text: '', frames: [], ended: false, answeredAt: 0 });
  });
  cdp.on('Network.webSocketWillSendHandshakeRequest', (e: WsEvent) => {
    const a = attempt(e);
    if (a && e.request) a.sent = shown(e.request.headers);
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', (e: WsEvent) => {
    const a = attempt(e);
    if (a) (a.status = e.response?.status ?? 0), (a.answeredAt = Date.now());
  });
  cdp.on('Network.webSocketFrameReceived', (e: WsEvent) => {
    const a = attempt(e);
    if (a && a.frames.length < FRAMES_KEPT) a.frames.push((e.response?.payloadData ?? '').slice(0, 200));
  });
  cdp.on('Network.webSocketFrameError', (e: WsEvent) => {
    const a = attempt(e);
    if (!a) return;
    a.text = e.errorMessage ?? 'websocket error';
    // "Unexpected response code: 403": the status the browser got; a 401 Chromium words as an authentication failure.
    const code = /response code: (\d{3})/.exec(a.text)?.[1] ?? (CHROMIUM_401.test(a.text) ? '401' : undefined);
    if (code && !a.status) (a.status = Number(code)), (a.answeredAt = Date.now());
    a.ended = true;
  });
  cdp.on('Network.webSocketClosed', (e: WsEvent) => {
    const a = attempt(e);
    if (a) a.ended = true;
  });
  await cdp.send('Network.enable');
}

/** SSE attempts are ordinary requests: their answer, and whether the stream failed. */
function watchEventSources(page: Page, list: PushAttempt[]): void {
  const byRequest = new Map<object, PushAttempt>();
  page.on('response', (r: Response) => {
    if (!isPush(r.url()) || r.request().resourceType() === 'websocket') return;
    const a: PushAttempt = {
      transport: 'sse',
      url: r.url(),
      sent: [],
      status: r.status(),
      text: '',
      frames: [],
      ended: r.status() !== 200,
      answeredAt: Date.now(),
    };
    byRequest.set(r.request(), a);
    list.push(a);
    void r
      .request()
      .allHeaders()
      .then((h) => {
        a.sent = shown(h);
      });
    // A refused stream ends with a short body; an open one never ends, so it is not read.
    if (a.ended)
      void r.text().then(
        (t) => (a.text = t.slice(0, 200)),
        () => undefined,
      );
  });
  page.on('requestfailed', (req) => {
    const a = byRequest.get(req);
    if (!a) return;
    a.ended = true;
    a.text ||= req.failure()?.errorText ?? 'failed';
  });
}

/** Starts recording every push attempt the page makes (websocket or SSE, whichever n8n's editor uses). */
export async function watchPush(page: Page): Promise<PushWatch> {
  const websockets = new Map<string, PushAttempt>();
  const eventSources: PushAttempt[] = [];
  await watchWebsockets(await page.context().newCDPSession(page), websockets);
  watchEventSources(page, eventSources);
  return { attempts: () => [...websockets.values(), ...eventSources] };
}

/** The last attempt that got an answer or ended (a newer one may still be under way). */
export function lastSettled(attempts: PushAttempt[]): PushAttempt | undefined {
  return attempts.filter((a) => a.status > 0 || a.ended).at(-1) ?? attempts.at(-1);
}

/** An answered connection that is still open this long is taken as connected (n8n closes a refused one at once). */
export const STABLE_MS = 3_000;

/** The last attempt got its handshake (101) or stream (200) and is still open, for less than STABLE_MS so far. */
export function justOpened(attempts: PushAttempt[], now = Date.now()): boolean {
  const last = attempts.at(-1);
  return last !== undefined && !last.ended && last.answeredAt > 0 && now - last.answeredAt < STABLE_MS;
}

/** Connected at the end: the last attempt got its handshake (101) or stream (200) and has stayed open for STABLE_MS. */
export function connected(attempts: PushAttempt[], now = Date.now()): boolean {
  const last = attempts.at(-1);
  return last !== undefined && !last.ended && (last.status === 101 || last.status === 200) && now - last.answeredAt >= STABLE_MS;
}
