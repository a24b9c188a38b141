import { randomUUID } from 'node:crypto';
import type { Page, Request, Response } from 'playwright-core';
import { withBrowser, type BrowserSessionOptions, type StartedBrowserSession } from '../../parts/browser/browser-session.ts';
import { inPageCall, LOAD_TIMEOUT_MS, NETWORK_CHANGED, openPage, settle, visibleText } from '../../parts/browser/page-loading.ts';
import { record, type Exchange } from '../../parts/client/exchange.ts';
import { saveScreenshot } from '../../parts/browser/screenshot-files.ts';
import { registerSecret } from '../../base/secrets.ts';
import type { ScenarioContext } from '../../core/types.ts';

/** n8n's session cookie. */
export const AUTH_COOKIE = 'n8n-auth';
const EMAIL_INPUT = 'input[name="emailOrLdapLoginId"], input[name="email"]';
const PASSWORD_INPUT = 'input[name="password"]';
/** Once the page is quiet, the form shows within this, or the editor shows something else. */
const FORM_TIMEOUT_MS = 10_000;
/** Request headers worth showing: what carries the session. */
const SHOWN_REQUEST_HEADERS = ['host', 'origin', 'cookie', 'browser-id'];

/** A cookie as the browser kept it. */
export interface KeptCookie {
  name: string;
  secure: boolean;
  sameSite: string;
  httpOnly: boolean;
  value: string;
}

/** What the browser saw while the owner signed in through n8n's own sign-in page. */
export interface SignInSeen {
  /** Each /rest/* call the editor made, and the check the page made after (judged). */
  exchanges: Exchange[];
  /** Whether the editor showed its sign-in form (else the page posted the sign-in itself). */
  form: boolean;
  /** n8n's Set-Cookie on POST /rest/login, as sent (absent when it set none). */
  setCookie?: string;
  /** The browser-id header the editor sent with its sign-in. */
  browserId?: string;
  /** The cookies the browser kept for the page's origin. */
  cookies: KeptCookie[];
  /** Where the page ended, and the start of its visible text. */
  finalUrl: string;
  /** The status of the sign-in page's document (0: no answer). */
  documentStatus: number;
  pageText: string;
  /** Requests the page could not make, and errors its scripts threw. */
  failures: string[];
  /** The screenshot's path relative to the reports folder. */
  screenshot: string;
}

export interface SignIn {
  /** The page's origin: `http://n8n.lab:<port>`. */
  base: string;
  /** Names in `screenshots/<id>@<version>-<phase>.png`, and the pictures' captions. */
  scenarioId: string;
  phase: string;
  browser?: BrowserSessionOptions;
  /** A browser already started (its page stays open, signed in): the caller goes on in it and stops it. */
  session?: StartedBrowserSession;
}

const isLoginRequest = (r: Request, method: 'GET' | 'POST') => new URL(r.url()).pathname === '/rest/login' && r.method() === method;
const isLogin = (r: Response, method: 'GET' | 'POST') => isLoginRequest(r.request(), method);
const isRest = (r: Response) => new URL(r.url()).pathname.startsWith('/rest/');

/** A playwright response as a recorded exchange: its shown request headers, status, body and Set-Cookie. */
export async function exchangeOf(label: string, response: Response, context?: true): Promise<Exchange> {
  const request = response.request();
  const sent = await request.allHeaders();
  const setCookie = await response.headerValue('set-cookie').catch(() => null);
  return record({
    label,
    via: 'browser',
    request: { method: request.method(), url: request.url(), headers: SHOWN_REQUEST_HEADERS.filter((h) => sent[h] !== undefined).map((h) => [h, sent[h]!]) },
    response: { status: response.status(), body: await response.text().catch(() => ''), headers: setCookie ? [['set-cookie', setCookie]] : [] },
    ...(context ? { context } : {}),
  });
}

/** Requests the page could not make and errors its scripts threw, collected as they happen. */
export function pageFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on('requestfailed', (r) => void failures.push(`${new URL(r.url()).pathname}: ${r.failure()?.errorText ?? 'failed'}`));
  page.on('pageerror', (err) => void failures.push(`page error: ${err.message.slice(0, 160)}`));
  return failures;
}

/** Whether the editor shows its sign-in form within `timeoutMs` (once the page is quiet, it shows or the editor shows something else). */
export function formShown(page: Page, timeoutMs = FORM_TIMEOUT_MS): Promise<boolean> {
  return page
    .locator(EMAIL_INPUT)
    .first()
    .waitFor({ timeout: timeoutMs })
    .then(
      () => true,
      () => false,
    );
}

/** The request's answer, or null when it failed or none came within `ms` (Playwright's own wait has no bound). */
function answerWithin(request: Request, ms: number): Promise<Response | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([request.response(), late]).finally(() => clearTimeout(timer));
}

/** Times the sign-in page is loaded again when it showed no form after losing requests to a network change. */
const PAGE_RELOADS = 2;

/** Times the form is submitted again when the browser got no answer to its sign-in (the network changed under it, a busy machine). */
const SUBMIT_ATTEMPTS = 3;

/**
 * Fills the editor's sign-in form and submits it; returns n8n's answer to the POST. A sign-in the
 * browser got no answer to (Docker changed the network under it, or the page did not post it in
 * time) is submitted again from the same form, as a user would press Enter again.
 */
export async function submitForm(page: Page, email: string, password: string): Promise<Response> {
  await page.locator(EMAIL_INPUT).first().fill(email);
  await page.locator(PASSWORD_INPUT).fill(password);
  for (let attempt = 1; ; attempt++) {
    const posted = page.waitForRequest((r) => isLoginRequest(r, 'POST'), { timeout: LOAD_TIMEOUT_MS });
    posted.catch(() => undefined);
    await page.locator(PASSWORD_INPUT).press('Enter');
    const request = await posted.catch((err: unknown) => {
      if (attempt >= SUBMIT_ATTEMPTS) throw err;
      return undefined;
    });
    const response = request ? await answerWithin(request, LOAD_TIMEOUT_MS) : null;
    if (response) return response;
    if (attempt >= SUBMIT_ATTEMPTS) throw new Error(`the sign-in got no answer ${SUBMIT_ATTEMPTS} times: ${request?.failure()?.errorText ?? 'no request'}`);
  }
}

/**
 * Where the editor shows no sign-in form (n8n 2.x shows its secure-cookie page instead), the page
 * posts the owner's sign-in itself, as the form would: n8n's Set-Cookie and what the browser does
 * with it are then recorded all the same.
 */
async function postSignIn(page: Page, email: string, password: string): Promise<Response> {
  // A browser-id as the editor makes one; made here, since crypto.randomUUID is not there in a page over plain http.
  const body = { payload: { emailOrLdapLoginId: email, email, password }, browserId: randomUUID() };
  return inPageCall(
    page,
    (r) => isLogin(r, 'POST'),
    () =>
      page.evaluate(async (b) => {
        await fetch('/rest/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'browser-id': b.browserId },
          body: JSON.stringify(b.payload),
        });
      }, body),
  );
}

/** The page asks n8n who is signed in (GET /rest/login) with the browser's own cookies and the editor's browser-id. */
async function whoAmI(page: Page, browserId: string | undefined): Promise<Response> {
  return inPageCall(
    page,
    (r) => isLogin(r, 'GET') && r.request().headers()['x-authlab'] === '1',
    () =>
      page.evaluate(async (id) => {
        await fetch('/rest/login', { headers: { 'x-authlab': '1', ...(id ? { 'browser-id': id } : {}) } });
      }, browserId),
  );
}

/**
 * Opens n8n's sign-in page in Chromium, signs the owner in with the e-mail and password the stack
 * set up, lets the editor go where it goes, then has the page ask n8n who is signed in: the
 * editor's /rest calls are shown, that last call is judged. Takes a screenshot of where it ended.
 */
export async function signInThroughEditor(ctx: ScenarioContext, s: SignIn): Promise<SignInSeen> {
  return withBrowser(s.session ?? s.browser ?? {}, async (session) => {
    const page = await session.newPage();
    const rest: Response[] = [];
    page.on('response', (r) => void (isRest(r) && r.request().headers()['x-authlab'] === undefined && rest.push(r)));
    const failures = pageFailures(page);
    let document = await openPage(page, `${s.base}/signin`, failures);
    let form = await formShown(page);
    // A page that lost its scripts or styles when Docker changed the network under it stays blank: load it again, as a user would.
    for (let i = 0; !form && i < PAGE_RELOADS && failures.some((f) => NETWORK_CHANGED.test(f)); i++) {
      document = await openPage(page, `${s.base}/signin`, failures);
      form = await formShown(page);
    }
    const { email, password } = ctx.n8n.owner;
    const login = form ? await submitForm(page, email, password) : await postSignIn(page, email, password);
    const setCookie = (await login.headerValue('set-cookie')) ?? undefined;
    // The session JWT is masked in every report, whether or not the browser kept it.
    for (const m of (setCookie ?? '').matchAll(/(?:^|\n)[^=;\n]+=([^;\n]{6,})/g)) registerSecret(m[1]!);
    await settle(page, failures);
    const browserId = (await login.request().headerValue('browser-id')) ?? undefined;
    const check = await whoAmI(page, browserId);
    const cookies = (await session.context.cookies(s.base)).map((c) => ({
      name: c.name,
      secure: c.secure,
      sameSite: c.sameSite,
      httpOnly: c.httpOnly,
      value: registerSecret(c.value),
    }));
    const pageText = await visibleText(page, 300);
    const file = await saveScreenshot(`${s.scenarioId}@${ctx.version}-${s.phase}`, await page.screenshot());
    ctx.screenshots.push({ phase: s.phase, caption: `${page.url()}: ${pageText.slice(0, 120)}`, file });
    const exchanges: Exchange[] = [];
    const by = (r: Response) => (r === login && !form ? 'the page itself (the editor showed no form)' : 'the editor');
    for (const r of rest) exchanges.push(await exchangeOf(`${by(r)}: ${r.request().method()} ${new URL(r.url()).pathname} (shown, not judged)`, r, true));
    exchanges.push(await exchangeOf('after sign-in, the page asks n8n who is signed in (GET /rest/login with its cookies and browser-id)', check));
    return {
      exchanges,
      form,
      ...(setCookie ? { setCookie } : {}),
      ...(browserId ? { browserId } : {}),
      cookies,
      finalUrl: page.url(),
      documentStatus: document?.status() ?? 0,
      pageText,
      failures,
      screenshot: file,
    };
  });
}

/** The attributes of a Set-Cookie line, without its value: `n8n-auth; Max-Age=...; Path=/; HttpOnly; Secure; SameSite=Lax`. */
export function cookieAttributes(setCookie: string | undefined): string {
  if (!setCookie) return 'no Set-Cookie';
  return setCookie
    .split('\n')
    .map((line) => line.replace(/^([^=;]+)=[^;]*/, '$1'))
    .join(' | ');
}

/** The cookies the browser kept, one line: `n8n-auth (Secure, SameSite=Lax, HttpOnly)`, or `none`. */
export function keptCookies(seen: Pick<SignInSeen, 'cookies'>): string {
  const attrs = (c: KeptCookie) => [c.secure ? 'Secure' : 'not Secure', `SameSite=${c.sameSite}`, ...(c.httpOnly ? ['HttpOnly'] : [])].join(', ');
  return seen.cookies.length ? seen.cookies.map((c) => `${c.name} (${attrs(c)})`).join('; ') : 'none';
}

/** What the page showed and the browser kept, as an exchange shown with the evidence (never judged). */
export function pageShown(seen: SignInSeen): Exchange {
  return record({
    label: `what the browser shows after sign-in (screenshot ${seen.screenshot}); cookies it kept: ${keptCookies(seen)}`,
    via: 'browser',
    request: { method: 'GET', url: seen.finalUrl, headers: [] },
    response: { status: seen.documentStatus, body: [seen.pageText || '(no text)', ...seen.failures.slice(0, 10)].join('\n') },
    outcome: 'accepted',
    context: true,
  });
}
