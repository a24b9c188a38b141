import type { Page } from 'playwright-core';
import { serveAssetsFromTest } from '../../parts/browser/asset-cache.ts';
import { withBrowser } from '../../parts/browser/browser-session.ts';
import { NETWORK_CHANGED, openPage, visibleText } from '../../parts/browser/page-loading.ts';
import { connected, justOpened, lastSettled, PUSH_PATH, STABLE_MS, watchPush, type PushAttempt, type PushWatch } from '../../parts/browser/push-watch.ts';
import { outcomeOf, record, type Exchange, type Outcome } from '../../parts/client/exchange.ts';
import { saveScreenshot } from '../../parts/browser/screenshot-files.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { formShown, pageFailures, submitForm } from './editor.ts';

/** What n8n's editor shows while its push connection is down (1.x and 2.x alike). */
export const CONNECTION_LOST = 'Connection lost';
/** Once the workflow page has loaded: time for the editor to connect, fail and try again. */
const PUSH_WAIT_MS = 10_000;
/** n8n's editor is megabytes of scripts: on a loaded machine (two cores, several stacks) it may take minutes to draw. */
const EDITOR_RENDER_MS = 180_000;
const POLL_MS = 1_000;
/** n8n's log lines about the push connection (n8n runs at debug level: the rest is the editor's other calls). */
const PUSH_LOG = /push|origin|upgrade|websocket/i;

/** What the browser saw of the editor's push connection on a workflow page. */
export interface PushSeen {
  attempts: PushAttempt[];
  connected: boolean;
  /** The editor showed its "Connection lost" banner at the end. */
  banner: boolean;
  pageUrl: string;
  failures: string[];
}

const attemptLine = (a: PushAttempt) =>
  `${a.transport} ${a.status || 'no answer'}${a.text ? ` ${JSON.stringify(a.text)}` : ''}${a.frames.length ? `, n8n sent ${a.frames.map((f) => JSON.stringify(f)).join(', ')}` : ''}${a.ended ? ', ended' : ', open'}`;

/** The push connection as one judged exchange: accepted when connected and the editor shows no banner. */
function pushExchange(label: string, seen: PushSeen, n8nLog: string[]): Exchange {
  const first = seen.attempts[0];
  const last = lastSettled(seen.attempts);
  const outcome: Outcome = seen.connected && !seen.banner ? 'accepted' : last?.status === 101 ? 'other' : outcomeOf(last?.status || undefined);
  const body = [
    `${last ? attemptLine(last) : 'no attempt'}; ${seen.banner ? `the editor shows "${CONNECTION_LOST}"` : 'the editor shows no connection warning'}`,
    `${seen.attempts.length} attempt(s) in ${PUSH_WAIT_MS / 1000} s on the workflow page`,
    ...(first && first !== last ? [`first: ${attemptLine(first)}`] : []),
    // Requests the navigation to the workflow page cut short are not the push connection's.
    ...seen.failures.filter((f) => !/ERR_ABORTED/.test(f)).slice(0, 5),
  ].join('\n');
  return record({
    label,
    via: 'browser',
    request: { method: 'GET', url: last?.url ?? `${seen.pageUrl} (no ${PUSH_PATH} request)`, headers: last?.sent ?? [] },
    ...(last?.status ? { response: { status: last.status, body } } : { error: body }),
    outcome,
    n8nLog,
  });
}

/** Times the sign-in page is opened while the network keeps changing under its scripts (a blank page). */
const SIGN_IN_ATTEMPTS = 3;

/**
 * Opens the sign-in page and signs the owner in through its form. A page whose scripts the network
 * change aborted stays blank: it is opened again; where no form shows otherwise, the error says
 * what the page showed instead.
 */
async function signIn(page: Page, ctx: ScenarioContext, base: string, failures: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const before = failures.length;
    await openPage(page, `${base}/signin`, failures);
    if (await formShown(page, EDITOR_RENDER_MS)) break;
    const changed = failures.slice(before).some((f) => NETWORK_CHANGED.test(f));
    if (!changed || attempt >= SIGN_IN_ATTEMPTS) {
      const text = (await visibleText(page, 200)) || '(no text)';
      throw new Error(`the editor showed no sign-in form at ${page.url()}: ${text}; ${failures.slice(-3).join('; ') || 'no request failed'}`);
    }
    failures.push(`the sign-in page stayed blank: the network changed under its scripts; opened again (attempt ${attempt})`);
  }
  await submitForm(page, ctx.n8n.owner.email, ctx.n8n.owner.password);
}

/**
 * Opens a new workflow and waits for the editor's first push attempt there (its scripts run by
 * then). A page that makes none in EDITOR_RENDER_MS stayed blank (a script it lost under load):
 * it is opened again, at most SIGN_IN_ATTEMPTS times, and the evidence says so.
 */
async function openWorkflowPage(page: Page, base: string, watch: PushWatch, failures: string[]): Promise<void> {
  for (let attempt = 1; attempt <= SIGN_IN_ATTEMPTS; attempt++) {
    const known = watch.attempts().length;
    await openPage(page, `${base}/workflow/new`, failures, 'load');
    for (const until = Date.now() + EDITOR_RENDER_MS; watch.attempts().length === known && Date.now() < until; ) await page.waitForTimeout(POLL_MS);
    if (watch.attempts().length > known) return;
    failures.push(`the workflow page made no push attempt in ${EDITOR_RENDER_MS / 1000} s: opened again (attempt ${attempt})`);
  }
}

/**
 * Signs the owner in through the editor at `base` (through the proxy), opens a new workflow and
 * records every push attempt the editor makes, whether it ends connected, and whether the editor
 * shows "Connection lost"; takes a screenshot of the workflow page. One judged exchange.
 */
export async function openEditorPush(ctx: ScenarioContext, base: string, scenarioId: string, phase: string): Promise<Exchange> {
  const log = ctx.n8n.container.logLines;
  const mark = log.mark();
  const seen = await withBrowser({}, async (session) => {
    await serveAssetsFromTest(session.context);
    const page = await session.newPage();
    const failures = pageFailures(page);
    // From the start: an editor may open its push connection as soon as the owner is signed in.
    const watch = await watchPush(page);
    await signIn(page, ctx, base, failures);
    await openWorkflowPage(page, base, watch, failures);
    await page.waitForTimeout(PUSH_WAIT_MS);
    // The network changed under the last attempt (Docker, any stack on the machine): the editor tries again by itself.
    for (let extra = 0; extra < 2 && NETWORK_CHANGED.test(watch.attempts().at(-1)?.text ?? ''); extra++) await page.waitForTimeout(PUSH_WAIT_MS);
    // A connection answered a moment ago may yet be closed by n8n (an Origin it refuses): judged once it has stood a while.
    if (justOpened(watch.attempts())) await page.waitForTimeout(STABLE_MS);
    const banner = await page
      .getByText(CONNECTION_LOST, { exact: true })
      .first()
      .isVisible()
      .catch(() => false);
    const file = await saveScreenshot(`${scenarioId}@${ctx.version}-${phase}`, await page.screenshot());
    const attempts = watch.attempts();
    const result: PushSeen = { attempts, connected: connected(attempts), banner, pageUrl: page.url(), failures };
    ctx.screenshots.push({
      phase,
      caption: `${page.url()}: ${banner ? `"${CONNECTION_LOST}"` : 'no connection warning'}; push ${lastSettled(attempts) ? attemptLine(lastSettled(attempts)!) : 'not attempted'}`,
      file,
    });
    return result;
  });
  const label = `the editor's push connection through NGINX (${base}/workflow/new, ${PUSH_PATH})`;
  return pushExchange(
    label,
    seen,
    log.since(mark).filter((l) => PUSH_LOG.test(l)),
  );
}
