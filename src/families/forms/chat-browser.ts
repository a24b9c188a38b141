import type { Page, Response } from 'playwright-core';
import { registerSecret } from '../../base/secrets.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { type StartedBrowserSession, withBrowser } from '../../parts/browser/browser-session.ts';
import { CHAT_WIDGET_VERSION, serveChatWidget } from '../../parts/browser/chat-widget.ts';
import { serveAssetsFromTest } from '../../parts/browser/asset-cache.ts';
import { LOAD_TIMEOUT_MS, openPage, visibleText } from '../../parts/browser/page-loading.ts';
import { saveScreenshot } from '../../parts/browser/screenshot-files.ts';
import { type Exchange, record } from '../../parts/client/exchange.ts';
import { exchangeOf, pageFailures, pageShown, signInThroughEditor } from '../browser/editor.ts';

/** A user signs in to n8n at `editorBase`, then opens the chat at `chatUrl` in the same browser. */
export interface ChatVisit {
  editorBase: string;
  chatUrl: string;
  scenarioId: string;
  phase: string;
  /** Also send the chat's message straight from where the page ended, as the widget sends it (what n8n answers a message without the page's checks). */
  direct?: true;
}

/** n8n 2.x's consent page button (its string `oauth.consentView.allow`). */
const CONSENT_BUTTON = 'Allow access';
const CONSENT_MS = 15_000;
/** How long the page may take to draw where it went, before its picture and text are taken. */
const SETTLE_MS = 10_000;

const pathOf = (url: string) => new URL(url).pathname;

/** What the user types into the chat, and the session the straight message (`direct`) names. */
const CHAT_INPUT = 'hello from the browser';
const DIRECT_SESSION = 'authlab-browser-session';

/** The widget's POST of a typed message (its `loadPreviousSession` call goes to the same URL). */
function isMessageSend(r: Response, chatUrl: string): boolean {
  if (r.request().method() !== 'POST' || pathOf(r.url()) !== pathOf(chatUrl)) return false;
  try {
    return (r.request().postDataJSON() as { action?: string } | null)?.action === 'sendMessage';
  } catch {
    return false;
  }
}

/**
 * Types the message into the widget's input and sends it with Enter, as a user does; false where the
 * input never showed (the page went elsewhere). n8n 2.x draws the widget in a frame of its page.
 */
async function typeMessage(page: Page): Promise<boolean> {
  const deadline = Date.now() + LOAD_TIMEOUT_MS;
  while (Date.now() < deadline && !pathOf(page.url()).endsWith('/signin')) {
    for (const frame of page.frames()) {
      const input = frame.locator('textarea').first();
      if (!(await input.isVisible().catch(() => false))) continue;
      await input.fill(CHAT_INPUT);
      await input.press('Enter');
      return true;
    }
    await page.waitForTimeout(250);
  }
  return false;
}
/** What the chat page did worth showing: each document (every redirect hop), n8n's sign-in check, its consent calls. */
const worthShowing = (r: Response) => r.request().isNavigationRequest() || /^\/rest\/(login|consent\/)/.test(pathOf(r.url()));

/** Resolves when the page is on n8n's sign-in page (null either way: nothing was sent). */
const onSignIn = (page: Page, ms: number): Promise<null> =>
  page
    .waitForURL((u) => u.pathname.endsWith('/signin'), { timeout: ms })
    .then(
      () => null,
      () => null,
    );

/** Where n8n 2.x sends the chat's visitor to its consent page (signed in): the user allows, as its button does. */
async function throughConsent(page: Page): Promise<boolean> {
  if (!pathOf(page.url()).endsWith('/oauth/consent')) return false;
  const button = page.getByRole('button', { name: CONSENT_BUTTON });
  const asked = button.waitFor({ timeout: CONSENT_MS }).then(
    () => true,
    () => false,
  );
  // Not signed in on this host, n8n's consent page sends the browser to sign in instead.
  const shown = await Promise.race([asked, onSignIn(page, CONSENT_MS).then(() => false)]);
  if (shown) await button.click();
  return shown;
}

/** Registers what the answers carry that a report must not show: cookie values n8n set, an OAuth code in a redirect. */
async function registerSecretsOf(responses: Response[]): Promise<void> {
  for (const r of responses) {
    const setCookie = (await r.headerValue('set-cookie').catch(() => null)) ?? '';
    for (const m of setCookie.matchAll(/(?:^|\n)[^=;\n]+=([^;\n]{6,})/g)) registerSecret(m[1]!);
    const code = new URL(r.url()).searchParams.get('code');
    if (code) registerSecret(code);
  }
}

/** The message the page sent, or a record that it sent none and where it went instead (no port: the ledger compares answers across runs). */
async function messageOf(page: Page, answer: Response | null, chatUrl: string): Promise<Exchange> {
  if (answer) {
    const token = (await answer.request().allHeaders())['x-auth-token'];
    if (token) registerSecret(token, 'api-key');
    return exchangeOf(`the chat's message, as the chat page sends it (x-auth-token ${token ? 'sent' : 'not sent'})`, answer);
  }
  const ended = new URL(page.url());
  const host = ended.host === new URL(chatUrl).host ? "the chat's host" : 'another host';
  const where = ended.pathname.endsWith('/signin') ? `it went to n8n's sign-in page on ${host}` : `it ended at ${ended.pathname} on ${host}`;
  return record({
    label: "the chat's message, as the chat page sends it",
    via: 'browser',
    request: { method: 'POST', url: chatUrl, headers: [] },
    error: `the page sent none: ${where}`,
  });
}

/**
 * The message posted with the cookies the browser holds for the chat's host, as the widget posts
 * it (Playwright's request context shares the browser's cookie jar): what n8n answers the chat
 * without the page's own checks. Cookie names only are shown.
 */
async function directMessage(session: StartedBrowserSession, chatUrl: string): Promise<Exchange> {
  const held = (await session.context.cookies(chatUrl)).map((c) => c.name);
  const label = `the chat's message with the cookies the browser holds for ${new URL(chatUrl).host} (${held.join(', ') || 'none'}), as the widget posts it (shown, not judged)`;
  const request = { method: 'POST', url: chatUrl, headers: held.length ? [['cookie', held.map((n) => `${n}=…`).join('; ')] as [string, string]] : [] };
  const res = await session.context.request
    .post(chatUrl, { data: { action: 'sendMessage', sessionId: DIRECT_SESSION, chatInput: CHAT_INPUT }, timeout: LOAD_TIMEOUT_MS, failOnStatusCode: false })
    .catch((err: Error) => err);
  if (res instanceof Error) return record({ label, via: 'browser', request, error: res.message.split('\n')[0]!, context: true });
  return record({ label, via: 'browser', request, response: { status: res.status(), body: await res.text() }, context: true });
}

/**
 * In Chromium: signs the owner in through n8n's editor at `editorBase`, then opens the chat's URL in
 * the same browser (n8n's page and its widget, @n8n/chat from npm, as they are), types a message as a user does, allows n8n 2.x's consent
 * where it asks, and waits for the chat's message or n8n's sign-in page. Returns the sign-in and
 * each step of the chat page as context, then the message (judged), with a screenshot.
 */
export async function signedInChat(ctx: ScenarioContext, v: ChatVisit): Promise<Exchange[]> {
  return withBrowser({}, async (session) => {
    await serveAssetsFromTest(session.context);
    await serveChatWidget(session.context);
    ctx.progress(`${v.phase}: signing in to n8n's editor at ${v.editorBase} in Chromium`);
    const seen = await signInThroughEditor(ctx, { base: v.editorBase, scenarioId: v.scenarioId, phase: `${v.phase}-sign-in`, session });
    const signIn = [pageShown(seen), ...seen.exchanges].map((e) => ({ ...e, context: true as const }));
    const page = await session.newPage();
    const failures = pageFailures(page);
    const steps: Response[] = [];
    page.on('response', (r) => void (worthShowing(r) && steps.push(r)));
    const message = page.waitForResponse((r) => isMessageSend(r, v.chatUrl), { timeout: 2 * LOAD_TIMEOUT_MS }).catch(() => null);
    ctx.progress(`${v.phase}: opening the chat at ${v.chatUrl} in the same browser`);
    await openPage(page, v.chatUrl, failures, 'load');
    const consented = await throughConsent(page);
    // The user types once the widget shows its input; sent to sign in instead, there is none.
    const typed = typeMessage(page);
    const answer = await Promise.race([message, onSignIn(page, LOAD_TIMEOUT_MS), typed.then((shown) => (shown ? message : null))]);
    ctx.progress(`${v.phase}: the chat page ${answer ? `sent its message (${answer.status()})` : `sent none; it is at ${page.url().split('?')[0]}`}`);
    await registerSecretsOf(steps);
    await page.waitForLoadState('networkidle', { timeout: SETTLE_MS }).catch(() => undefined);
    const judged = await messageOf(page, answer, v.chatUrl);
    const file = await saveScreenshot(`${v.scenarioId}@${ctx.version}-${v.phase}`, await page.screenshot());
    ctx.screenshots.push({ phase: v.phase, caption: `${page.url().split('?')[0]}: ${await visibleText(page, 120)}`, file });
    const shown: Exchange[] = [];
    for (const r of steps) shown.push(await exchangeOf(`the chat page: ${r.request().method()} ${pathOf(r.url())} (shown, not judged)`, r, true));
    const direct = v.direct ? [await directMessage(session, v.chatUrl)] : [];
    const note = record({
      label: `where the chat page ended (screenshot ${file}; widget @n8n/chat ${CHAT_WIDGET_VERSION})${consented ? "; n8n's consent allowed" : ''}${failures.length ? `; requests lost: ${failures.slice(0, 3).join('; ')}` : ''} (shown, not judged)`,
      via: 'browser',
      request: { method: 'GET', url: page.url(), headers: [] },
      response: { status: 200, body: await visibleText(page, 300) },
      outcome: 'accepted',
      context: true,
    });
    return [...signIn, ...shown, note, ...direct, judged];
  });
}
