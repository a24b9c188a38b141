import type { BrowserContext } from 'playwright-core';

/** Where n8n's hosted chat page (the Chat Trigger's, 1.x and 2.x) loads its widget and styles from. */
const CDN = 'https://cdn.jsdelivr.net/**';
const WIDGET_PATH = '/npm/@n8n/chat/dist/chat.bundle.es.js';

/** The session and text the stand-in sends. */
export const STAND_IN_MESSAGE = { sessionId: 'authlab-browser-session', chatInput: 'hello from the browser' };

/**
 * A module in the widget's place whose `createChat(options)` sends one message as the widget
 * (@n8n/chat 1.37, src/api/generic.ts and message.ts) sends it: `fetch(webhookUrl)` with mode
 * "cors", cache "no-cache", the page's `webhookConfig.headers` and Content-Type JSON, the method
 * of `webhookConfig` (POST by default), the body `{ action: "sendMessage", sessionId, chatInput,
 * metadata }`, and the browser's own credentials rule (the session cookie goes only to the page's
 * own host). The page's script around it (n8n's sign-in check, the token n8n hands a 2.x frame) is
 * n8n's own and runs as it is.
 */
const STAND_IN = `export function createChat(options) {
  const config = options.webhookConfig || {};
  const body = { action: 'sendMessage', sessionId: options.sessionId || ${JSON.stringify(STAND_IN_MESSAGE.sessionId)}, chatInput: ${JSON.stringify(STAND_IN_MESSAGE.chatInput)} };
  if (options.metadata) body.metadata = options.metadata;
  const headers = { ...(config.headers || {}), 'Content-Type': 'application/json' };
  fetch(options.webhookUrl, { method: config.method || 'POST', mode: 'cors', cache: 'no-cache', headers, body: JSON.stringify(body) }).catch(() => undefined);
}
`;

/**
 * n8n's hosted chat imports its widget from cdn.jsdelivr.net, which no test network reaches (and a
 * page whose module import fails runs none of its script): the browser is handed the stand-in for
 * the widget and empty styles instead, each with the CORS header the CDN sends (a 2.x chat frame
 * is sandboxed, its origin opaque).
 */
export async function serveChatWidgetStandIn(context: BrowserContext): Promise<void> {
  await context.route(CDN, (route) => {
    const path = new URL(route.request().url()).pathname;
    const widget = path === WIDGET_PATH;
    return route.fulfill({
      status: 200,
      contentType: widget ? 'text/javascript' : 'text/css',
      headers: { 'access-control-allow-origin': '*' },
      body: widget ? STAND_IN : '',
    });
  });
}
