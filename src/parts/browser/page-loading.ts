import type { Page, Response } from 'playwright-core';

/** How long a page of n8n's editor may take to load (its scripts, then n8n's settings) on a busy machine. */
export const LOAD_TIMEOUT_MS = 60_000;
/** After the page is quiet, a little longer for the editor to draw. */
const SETTLE_MS = 2_000;

/**
 * Docker adding or removing a network interface (any stack on this machine) makes Chromium abort
 * what it has in flight with net::ERR_NETWORK_CHANGED: the page, or its call, is made again, as a
 * user would reload.
 */
export const NETWORK_CHANGED = /ERR_NETWORK_CHANGED|Failed to fetch/;
const ATTEMPTS = 3;

/** A call the page makes (`call`), and the answer `ours` picks; made again when the network changed under it. */
export async function inPageCall(page: Page, ours: (r: Response) => boolean, call: () => Promise<void>): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const answer = page.waitForResponse(ours, { timeout: LOAD_TIMEOUT_MS });
    answer.catch(() => undefined);
    try {
      await call();
      return await answer;
    } catch (err) {
      if (attempt >= ATTEMPTS || !NETWORK_CHANGED.test(String(err))) throw err;
    }
  }
}

/** After sign-in: the editor goes where it goes; where the network changed under it, the page is loaded again (the cookie, if kept, stays). */
export async function settle(page: Page, failures: string[]): Promise<void> {
  let before = failures.length;
  await page.waitForLoadState('networkidle', { timeout: LOAD_TIMEOUT_MS }).catch(() => undefined);
  await page.waitForTimeout(SETTLE_MS);
  for (let attempt = 1; attempt < ATTEMPTS && failures.slice(before).some((f) => NETWORK_CHANGED.test(f)); attempt++) {
    failures.push(`the page was loaded again after sign-in: the network changed under it (attempt ${attempt})`);
    before = failures.length;
    await page.reload({ waitUntil: 'networkidle', timeout: LOAD_TIMEOUT_MS }).catch(() => undefined);
    await page.waitForTimeout(SETTLE_MS);
  }
}

/** Opens a page (`load` where the page never goes quiet: an open event stream) until its navigation succeeds and it loads without the network changing under it (at most ATTEMPTS times). */
export async function openPage(page: Page, url: string, failures: string[], waitUntil: 'networkidle' | 'load' = 'networkidle'): Promise<Response | null> {
  for (let attempt = 1; ; attempt++) {
    const before = failures.length;
    // A navigation that fails outright (the network changed, a proxy just reloaded) is tried again too.
    const document = await page.goto(url, { waitUntil, timeout: LOAD_TIMEOUT_MS }).catch((err: unknown) => {
      if (attempt >= ATTEMPTS) throw err;
      failures.push(`opening ${url} failed: ${String(err).split('\n')[0]}`);
      return undefined;
    });
    const changed = document === undefined || failures.slice(before).some((f) => NETWORK_CHANGED.test(f));
    if (!changed || attempt >= ATTEMPTS) return document ?? null;
    failures.push(`the page was loaded again (attempt ${attempt})`);
  }
}

/** The page's text as shown (without scripts), on one line, cut at `max` characters. */
export async function visibleText(page: Page, max: number): Promise<string> {
  const text = await page
    .locator('body')
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator, not a DOM node: the text as shown, without scripts
    .innerText()
    .catch(() => '');
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}
