import type { Page, Response } from 'playwright-core';
import { withBrowser } from '../../parts/browser/browser-session.ts';
import { inPageCall, LOAD_TIMEOUT_MS, openPage, visibleText } from '../../parts/browser/page-loading.ts';
import { record, type Exchange } from '../../parts/client/exchange.ts';
import { saveScreenshot } from '../../parts/browser/screenshot-files.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import type { OAuthEvent, StartedOAuthProviderContainer } from '../../parts/stack/oauth-provider-container.ts';
import { pageShown, signInThroughEditor } from './editor.ts';
import { LAB_HOST, labUrl } from './support.ts';

/**
 * One n8n behind NGINX with the OAuth server beside it, for every OAuth scenario. The editor is
 * opened over plain http under a name that is not localhost, where n8n's Secure session cookie
 * would be dropped (browser.secure-cookie-http): this stack runs with that scenario's fix.
 */
export const OAUTH_STACK: StackSpec = { name: 'browser-oauth', proxies: ['nginx'], oauthProvider: true, env: { N8N_SECURE_COOKIE: 'false' } };

/** The authorization server's name in the browser (mapped to 127.0.0.1, where it publishes its port). */
export const OAUTH_HOST = 'oauth.lab';
/** n8n's OAuth2 callback under its REST endpoint (1.x and 2.x alike). */
export const CALLBACK_PATH = '/rest/oauth2-credential/callback';
/** How many sign-in and consent pages the provider may show before the flow must have left it. */
const MAX_INTERACTIONS = 4;

export function oauthOf(ctx: ScenarioContext): StartedOAuthProviderContainer {
  const provider = ctx.stack.services.oauthProvider;
  if (!provider) throw new Error('the OAuth scenarios need their stack with the OAuth server (oauthProvider)');
  return provider;
}

/** Registers n8n's public callback (`http://n8n.lab:<port>/rest/oauth2-credential/callback`) as the client's one redirect URL, with the proof. */
export async function registerPublicCallback(ctx: ScenarioContext): Promise<{ registered: string; proof: Check }> {
  const registered = `${labUrl(ctx)}${CALLBACK_PATH}`;
  const event = await oauthOf(ctx).registerRedirectUris([registered]);
  const uris = event.redirectUris ?? [];
  return {
    registered,
    proof: check("the provider's client has n8n's public callback as its one redirect URL", uris.join(',') === registered, uris.join(', ')),
  };
}

/** An `oAuth2Api` credential (n8n's generic OAuth2) for the stack's provider, made through /rest; a new one per flow, so each flow's tokens are its own. */
async function createOAuthCredential(ctx: ScenarioContext, phase: string): Promise<string> {
  const provider = oauthOf(ctx);
  return ctx.n8n.client.createCredential({
    name: `OAuth2 at oidc-provider (${phase}, ${Date.now()})`,
    type: 'oAuth2Api',
    data: {
      grantType: 'authorizationCode',
      // The browser goes to the authorization URL; n8n itself calls the token URL on the stack network.
      authUrl: `http://${OAUTH_HOST}:${provider.hostPort}/auth`,
      accessTokenUrl: `${provider.internalUrl}/token`,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      scope: 'openid',
      authQueryParameters: '',
      authentication: 'header',
    },
  });
}

/** What the browser and the provider saw of one "Connect my account". */
export interface ConnectSeen {
  credentialId: string;
  /** The callback URL n8n's settings give the editor to show in the credential ("OAuth Redirect URL"). */
  shownRedirect?: string;
  /** The redirect_uri in the authorization URL n8n built. */
  sentRedirect?: string;
  /** The provider's answer to the authorization request (400 and its error page where it refuses). */
  providerAnswer?: Exchange;
  /** n8n's answer to the callback, where the browser got there. */
  callback?: Exchange;
  /** Whether n8n stored tokens in the credential (its data has oauthTokenData). */
  connected: boolean;
  /** Everything shown beside the judged exchange: the sign-in, the editor's calls, each page of the flow. */
  shown: Exchange[];
  /** What the provider logged meanwhile. */
  events: OAuthEvent[];
  /** Where the flow's window ended, and its text. */
  finalUrl: string;
  pageText: string;
}

/** How one flow runs: where the editor is opened (and signed in), and the screenshot's phase. */
export interface Connect {
  editorBase: string;
  scenarioId: string;
  phase: string;
}

const pathOf = (url: string) => new URL(url).pathname;
/** A /rest call the editor's page makes with its own cookies and browser-id (made again where the network changed under it), recorded as shown evidence. */
async function editorCall(page: Page, path: string, browserId: string | undefined, label: string): Promise<{ exchange: Exchange; json: unknown }> {
  const ours = (r: Response) => r.request().headers()['x-authlab'] === '1' && `${new URL(r.url()).pathname}${new URL(r.url()).search}` === path;
  const response = await inPageCall(page, ours, () =>
    page.evaluate(
      async ({ p, id }) => {
        await fetch(p, { headers: { 'x-authlab': '1', ...(id ? { 'browser-id': id } : {}) } });
      },
      { p: path, id: browserId },
    ),
  );
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const exchange = record({
    label,
    via: 'browser',
    request: { method: 'GET', url: response.url(), headers: [] },
    response: { status: response.status(), body: text },
    context: true,
  });
  return { exchange, json };
}

/** An HTML page's text, as a reader of the evidence wants it (no styles, scripts or tags). */
const textOfPage = (html: string) =>
  html
    .replace(/<(style|script|title)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The names of the cookies a request carried (their values are nobody's business here). */
const cookieNames = (header: string | undefined) =>
  (header ?? '')
    .split(';')
    .map((c) => c.split('=')[0]!.trim())
    .filter(Boolean)
    .join('; ') || '(none)';

/** The navigations of the flow's window, as exchanges: status and the start of the page. */
async function navigationExchange(r: Response): Promise<Exchange> {
  const body = r.status() >= 300 && r.status() < 400 ? `-> ${(await r.headerValue('location')) ?? ''}` : await r.text().catch(() => '');
  return record({
    label: `the browser: ${r.request().method()} ${new URL(r.url()).host}${pathOf(r.url())}`,
    via: 'browser',
    request: { method: r.request().method(), url: r.url(), headers: [['cookie', cookieNames((await r.request().allHeaders()).cookie)]] },
    response: { status: r.status(), body: textOfPage(body).slice(0, 1500) },
  });
}

/** Signs in at the provider (any login) and gives consent, page by page, until the flow leaves the provider. */
async function passProviderPages(page: Page): Promise<void> {
  for (let i = 0; i < MAX_INTERACTIONS && pathOf(page.url()).startsWith('/interaction/'); i++) {
    const login = page.locator('input[name="login"]');
    if (await login.count()) {
      await login.fill('owner@authlab.test');
      await page.locator('input[name="password"]').fill('any-password');
    }
    await Promise.all([
      page.waitForNavigation({ timeout: LOAD_TIMEOUT_MS, waitUntil: 'load' }).catch(() => undefined),
      page.locator('button[type="submit"]').first().click(),
    ]);
  }
}

/** Whether n8n stored tokens in the credential: its data as the owner reads it (the tokens themselves are never shown). */
async function tokensStored(ctx: ScenarioContext, credentialId: string): Promise<boolean> {
  const answer = await ctx.n8n.client.call('GET', `/rest/credentials/${credentialId}?includeData=true`);
  const data = (answer.json as { data?: { data?: { oauthTokenData?: unknown } } } | undefined)?.data?.data;
  return data?.oauthTokenData !== undefined && data.oauthTokenData !== null && data.oauthTokenData !== '';
}

/**
 * Connects a new OAuth2 credential through the browser, as a user does: the owner signs in to the
 * editor at `editorBase`, the editor asks n8n for the authorization URL (what its "Connect my
 * account" button calls: GET /rest/oauth2-credential/auth), a new window opens it at the provider,
 * signs in there and consents, and the provider sends the browser to the redirect_uri n8n gave it.
 * Then n8n is asked whether the credential holds tokens. A screenshot of the window where it ended.
 */
export async function connectThroughBrowser(ctx: ScenarioContext, c: Connect): Promise<ConnectSeen> {
  const provider = oauthOf(ctx);
  const credentialId = await createOAuthCredential(ctx, c.phase);
  const mark = provider.logLines.mark();
  return withBrowser({ hostNames: [LAB_HOST, OAUTH_HOST] }, async (session) => {
    const signIn = await signInThroughEditor(ctx, { base: c.editorBase, scenarioId: c.scenarioId, phase: `${c.phase}-editor`, session });
    // The flow's window is this row's picture; the editor's own, taken as it was still drawing, is left out.
    const editorShot = ctx.screenshots.findIndex((p) => p.file === signIn.screenshot);
    if (editorShot >= 0) ctx.screenshots.splice(editorShot, 1);
    const editor = session.context.pages()[0]!;
    const settings = await editorCall(
      editor,
      '/rest/settings',
      signIn.browserId,
      "the editor reads n8n's settings (GET /rest/settings): the OAuth Redirect URL it shows",
    );
    const shownRedirect = (settings.json as { data?: { oauthCallbackUrls?: { oauth2?: string } } } | undefined)?.data?.oauthCallbackUrls?.oauth2;
    const auth = await editorCall(
      editor,
      `/rest/oauth2-credential/auth?id=${credentialId}`,
      signIn.browserId,
      '"Connect my account": the editor asks n8n for the authorization URL',
    );
    const authUrl = (auth.json as { data?: unknown } | undefined)?.data;
    if (typeof authUrl !== 'string')
      throw new Error(`n8n gave no authorization URL: ${auth.exchange.response?.status} ${auth.exchange.response?.body.slice(0, 200)}`);

    const flow = await session.newPage();
    const navigations: Response[] = [];
    flow.on('response', (r) => void (r.request().isNavigationRequest() && r.request().frame() === flow.mainFrame() && navigations.push(r)));
    const failures: string[] = [];
    await openPage(flow, authUrl, failures);
    await passProviderPages(flow);
    // Not settled for long: n8n's success page closes its own window after 5 s.
    await flow.waitForLoadState('load', { timeout: LOAD_TIMEOUT_MS }).catch(() => undefined);
    const pageText = await visibleText(flow, 400);
    const file = await saveScreenshot(`${c.scenarioId}@${ctx.version}-${c.phase}`, await flow.screenshot());
    ctx.screenshots.push({ phase: c.phase, caption: `${flow.url()}: ${pageText.slice(0, 120)}`, file });

    const pages = await Promise.all(navigations.map(navigationExchange));
    const providerAnswer = pages.find((e) => pathOf(e.request.url) === '/auth');
    const callback = pages.find((e) => pathOf(e.request.url) === CALLBACK_PATH);
    const connected = await tokensStored(ctx, credentialId);
    const shown = [pageShown(signIn), settings.exchange, auth.exchange, ...pages.map((e) => ({ ...e, context: true as const }))];
    if (failures.length)
      shown.push(
        record({
          label: "the flow's window: requests that failed",
          via: 'browser',
          request: { method: 'GET', url: flow.url(), headers: [] },
          response: { status: 0, body: failures.join('\n') },
          context: true,
        }),
      );
    return {
      credentialId,
      ...(shownRedirect ? { shownRedirect } : {}),
      ...(new URL(authUrl).searchParams.get('redirect_uri') ? { sentRedirect: new URL(authUrl).searchParams.get('redirect_uri')! } : {}),
      ...(providerAnswer ? { providerAnswer } : {}),
      ...(callback ? { callback } : {}),
      connected,
      shown,
      events: provider.events(mark),
      finalUrl: flow.url(),
      pageText,
    };
  });
}

/** What the provider logged during a flow, one exchange shown with the evidence. */
export function providerLog(seen: ConnectSeen): Exchange {
  const lines = seen.events.map((e) => [e.kind, e.error, e.description, e.redirectUri && `redirect_uri=${e.redirectUri}`].filter(Boolean).join(' '));
  return record({
    label: 'what the authorization server logged during the flow',
    via: 'browser',
    request: { method: 'GET', url: 'oauth-provider://log', headers: [] },
    response: { status: 0, body: lines.join('\n') || '(nothing)' },
    outcome: 'accepted',
    context: true,
  });
}

/**
 * The flow's result as one judged exchange: accepted when n8n stored tokens in the credential,
 * rejected when it did not; its body carries n8n's callback page (or where the flow stopped).
 */
export function connectionExchange(seen: ConnectSeen): Exchange {
  const at = seen.callback ?? seen.providerAnswer;
  return record({
    label: `the credential after the flow: ${seen.connected ? 'connected (n8n stored tokens)' : 'not connected (no tokens stored)'}; the flow ended at ${seen.finalUrl}`,
    via: 'browser',
    request: { method: at?.request.method ?? 'GET', url: at?.request.url ?? seen.finalUrl, headers: [] },
    response: { status: at?.response?.status ?? 0, body: `oauthTokenData: ${seen.connected ? 'stored' : 'absent'}\n${seen.pageText}` },
    outcome: seen.connected ? 'accepted' : 'rejected',
  });
}
