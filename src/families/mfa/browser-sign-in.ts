import type { Page, Response } from 'playwright-core';
import { withBrowser } from '../../parts/browser/browser-session.ts';
import { LOAD_TIMEOUT_MS, NETWORK_CHANGED, openPage, settle, visibleText } from '../../parts/browser/page-loading.ts';
import { saveScreenshot } from '../../parts/browser/screenshot-files.ts';
import { record, type Exchange } from '../../parts/client/exchange.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { exchangeOf, formShown, pageFailures, submitForm } from '../browser/editor.ts';
import { localhostUrl } from '../browser/support.ts';
import { DEFAULT_STACK } from '../stacks.ts';
import { mfaUserFault, SIGN_IN_BLIND, TOO_MANY, totpCode, waitOutRateLimit, wrongCode, type MfaUser } from './support.ts';

/** The code field of n8n's two-factor step (both versions name it mfaCode; one-time-code is its autocomplete). */
const CODE_INPUT = 'input[name="mfaCode"], input[autocomplete="one-time-code"]';
const CODE_FORM_TIMEOUT_MS = 15_000;
/** How long the page may take to leave the sign-in for the editor once n8n accepted the code. */
const LEFT_SIGN_IN_MS = 20_000;
/** Times the sign-in page is loaded again when it showed no form. */
const PAGE_RELOADS = 2;
/** How long the page may take to post the code by itself (it may, on the sixth digit) before Enter is pressed. */
const AUTO_SUBMIT_MS = 3_000;

const isLoginPost = (r: Response) => new URL(r.url()).pathname === '/rest/login' && r.request().method() === 'POST';

/** Types the code into the two-factor step and returns n8n's answer to the sign-in it posts. */
async function submitCode(page: Page, code: string): Promise<Response> {
  const posted = page.waitForResponse(isLoginPost, { timeout: LOAD_TIMEOUT_MS });
  posted.catch(() => undefined);
  await page.locator(CODE_INPUT).first().fill(code);
  const early = await Promise.race([posted, new Promise<null>((r) => setTimeout(() => r(null), AUTO_SUBMIT_MS))]);
  if (early) return early;
  await page.locator(CODE_INPUT).first().press('Enter');
  return posted;
}

/**
 * Submits from the page; when n8n 1.x refused it for its sign-in rate limit, shows that answer,
 * waits the window out and submits again from the same form, as a user would.
 */
async function pastRateLimit(ctx: ScenarioContext, what: string, shown: Exchange[], submit: () => Promise<Response>): Promise<Response> {
  const first = await submit();
  if (first.status() !== TOO_MANY) return first;
  shown.push(await exchangeOf(`${what}, refused for n8n's sign-in rate limit (shown, not judged)`, first, true));
  await waitOutRateLimit(ctx, '/rest/login');
  return submit();
}

/**
 * After a sign-in n8n accepted, the page goes to the editor, loading its code as it goes; where
 * Docker changed the network under Chromium on the way (another stack starting), the page is left
 * blank on /signin: it is loaded again from the start, with the session cookie it was given
 * (a page that shows the sign-in again was not signed in: it is left as it is, and judged).
 */
async function intoEditor(page: Page, home: string, failures: string[]): Promise<void> {
  const away = (u: URL) => !u.pathname.startsWith('/signin');
  const left = await page.waitForURL(away, { timeout: LEFT_SIGN_IN_MS }).then(
    () => true,
    () => false,
  );
  if (!left && (failures.some((f) => NETWORK_CHANGED.test(f)) || (await visibleText(page, 10)) === '')) {
    await openPage(page, home, failures);
    await settle(page, failures);
  }
}

/**
 * In Chromium on n8n's own sign-in page (http://localhost:<port>/signin, straight to n8n): the
 * member's email and password, then `code()` in the two-factor step the page shows. Records both of
 * n8n's answers (the first as context, the code's judged), what the page shows, and a screenshot.
 */
async function signInWithCode(ctx: ScenarioContext, user: MfaUser, code: () => string, phase: string, label: string): Promise<Exchange[]> {
  return withBrowser({}, async (session) => {
    const page = await session.newPage();
    const failures = pageFailures(page);
    await openPage(page, `${localhostUrl(ctx)}/signin`, failures);
    // A page that lost its scripts when Docker changed the network under it stays blank: loaded again, as a user would.
    for (let i = 0; !(await formShown(page)); i++) {
      if (i >= PAGE_RELOADS) throw new Error(`n8n's sign-in page showed no form: ${await visibleText(page, 200)} (${failures.join('; ').slice(0, 300)})`);
      await openPage(page, `${localhostUrl(ctx)}/signin`, failures);
    }
    const exchanges: Exchange[] = [];
    const password = await pastRateLimit(ctx, 'the email and password', exchanges, () => submitForm(page, user.email, user.password));
    const asked = await page
      .locator(CODE_INPUT)
      .first()
      .waitFor({ timeout: CODE_FORM_TIMEOUT_MS })
      .then(
        () => true,
        () => false,
      );
    exchanges.push(await exchangeOf('the email and password, posted by the sign-in page (shown, not judged)', password, true));
    if (!asked) throw new Error(`the page did not ask for the two-factor code after the password: ${await visibleText(page, 200)}`);
    // The code is read off the authenticator as it is typed: a wait for the rate limit above outlasts a code's 30 s.
    const answer = await pastRateLimit(ctx, 'the code', exchanges, () => submitCode(page, code()));
    exchanges.push(await exchangeOf(label, answer));
    await settle(page, failures);
    if (answer.ok()) await intoEditor(page, `${localhostUrl(ctx)}/`, failures);
    const pageText = await visibleText(page, 300);
    const file = await saveScreenshot(`mfa.browser-sign-in@${ctx.version}-${phase}`, await page.screenshot());
    ctx.screenshots.push({ phase, caption: `${page.url()}: ${pageText.slice(0, 120)}`, file });
    exchanges.push(
      record({
        label: `what the page shows after the code (screenshot ${file})${failures.length ? `; requests the page lost on the way: ${failures.slice(0, 3).join('; ')}` : ''} (shown, not judged)`,
        via: 'browser',
        request: { method: 'GET', url: page.url(), headers: [] },
        response: { status: 200, body: pageText },
        context: true,
      }),
    );
    return exchanges;
  });
}

/** Whether the page left the sign-in for the editor: the last shown exchange's URL. */
function leftSignIn(exchanges: Exchange[]): Check[] {
  const url = exchanges.at(-1)?.request.url ?? '';
  return [check('the browser left the sign-in page for the editor', url !== '' && !/\/signin|\/mfa/.test(url), url)];
}

export const browserSignIn = defineScenario<MfaUser>({
  id: 'mfa.browser-sign-in',
  title: "in the browser, n8n's sign-in asks for the two-factor code after the password and refuses a wrong one",
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'after the password the sign-in page asks for the authenticator\'s code; a wrong code is refused (401 "Invalid mfa token or recovery code")',
    fix: "type the authenticator's current code",
  },
  predicts: { outcome: 'rejected', says: 'Invalid mfa token or recovery code' },
  stack: DEFAULT_STACK,
  fault: mfaUserFault('mfa-browser'),
  symptom: (ctx, user) => signInWithCode(ctx, user, () => wrongCode(user.secret), 'symptom', 'a wrong code typed into the two-factor step'),
  remedies: [
    {
      name: "type the authenticator's current code",
      source: 'guide',
      probe: (ctx, user) =>
        signInWithCode(
          ctx,
          user,
          () => totpCode(user.secret),
          "fix: type the authenticator's current code",
          "the authenticator's current code typed into the two-factor step",
        ),
      verify: leftSignIn,
    },
  ],
  doctorBlind: SIGN_IN_BLIND,
});
