import { makeTestCertificate } from '../../parts/browser/test-certificate.ts';
import type { Exchange } from '../../parts/client/exchange.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { nginxSite } from '../../parts/proxy/site-config.ts';
import { edits } from '../../parts/proxy/nginx-config.ts';
import { defineScenario } from '../../core/define.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { applySite, restartWithEnv } from '../proxy/support.ts';
import { AUTH_COOKIE, cookieAttributes, keptCookies, pageShown, signInThroughEditor, type SignInSeen } from './editor.ts';
import { BROWSER_STACK, LAB_HOST, labUrl, nginxOf } from './support.ts';

const ID = 'browser.secure-cookie-http';
const PLAIN_SITE = nginxSite('guide-example');
const PLAIN_LIVE = [{ what: 'no TLS', test: /\bssl\b/, absent: true }];

/** n8n's public settings: whether it issues its session cookie with Secure (`authCookie.secure`, 1.x and 2.x). */
async function settingsSayCookieSecure(ctx: ScenarioContext): Promise<Check> {
  const answer = await rawRequest({ label: 'GET /rest/settings', url: `${ctx.n8n.container.getBaseUrl()}/rest/settings`, headers: [] });
  let secure: unknown;
  try {
    secure = (JSON.parse(answer.response?.body ?? '') as { data?: { authCookie?: { secure?: unknown } } }).data?.authCookie?.secure;
  } catch {
    secure = undefined;
  }
  return check(
    "n8n's public settings say its cookie is Secure (GET /rest/settings: authCookie.secure)",
    secure === true,
    `authCookie.secure: ${String(secure)}`,
  );
}

const loginSetCookie = (exchanges: Exchange[]) =>
  exchanges
    .find((e) => e.request.method === 'POST' && new URL(e.request.url).pathname === '/rest/login')
    ?.response?.headers?.find(([k]) => k === 'set-cookie')?.[1];

/** What the browser kept, as checks a fix must pass: the session cookie, with or without Secure. */
function keptSession(seen: SignInSeen, secure: boolean): Check[] {
  const cookie = seen.cookies.find((c) => c.name === AUTH_COOKIE);
  return [
    check(
      'the editor showed its sign-in form, and the owner signed in through it',
      seen.form,
      `${seen.finalUrl}: ${seen.pageText.slice(0, 120) || '(no text)'}`,
    ),
    check(
      `the browser kept ${AUTH_COOKIE}${secure ? ' with Secure' : ''}`,
      cookie !== undefined && cookie.secure === secure,
      `cookies kept: ${keptCookies(seen)}`,
    ),
    check("n8n's Set-Cookie on sign-in", seen.setCookie !== undefined, cookieAttributes(seen.setCookie)),
  ];
}

/** Signs in through the editor and returns the exchanges with the page shown first. */
async function signIn(ctx: ScenarioContext, phase: string, base: string, trustedKeys: string[] = []): Promise<{ seen: SignInSeen; exchanges: Exchange[] }> {
  const seen = await signInThroughEditor(ctx, { base, scenarioId: ID, phase, browser: { hostNames: [LAB_HOST], trustedKeys } });
  return { seen, exchanges: [pageShown(seen), ...seen.exchanges] };
}

/** The TLS fix's certificate key (the browser that probes it trusts that key), and what the browser kept at the last probe. */
interface State {
  tlsKey: string;
  kept: Check[];
}

export const secureCookieHttp = defineScenario<State>({
  id: ID,
  title: "over plain http on a host name other than localhost, the browser drops n8n's Secure session cookie: signed in, every /rest call answers 401",
  guide: {
    section: 'not in the guide',
    claim:
      'users: "I log in and get thrown back to the login page / 401 on /rest" when n8n is reached over http by a host name (n8n defaults N8N_SECURE_COOKIE to true)',
    fix: 'set N8N_SECURE_COOKIE=false (n8n restarts), or serve n8n over https',
  },
  predicts: { outcome: 'rejected' },
  stack: BROWSER_STACK,
  fault: async (ctx) => {
    const proof = [...(await applySite(ctx, PLAIN_SITE, PLAIN_LIVE)), await settingsSayCookieSecure(ctx)];
    proof.push(check('the browser opens n8n over plain http by a name that is not localhost', !/localhost|127\./.test(labUrl(ctx)), labUrl(ctx)));
    return { proof, state: { tlsKey: '', kept: [] } };
  },
  symptom: async (ctx) => (await signIn(ctx, 'symptom', labUrl(ctx))).exchanges,
  proveFromRequest: (symptom) => [
    check(
      "n8n's Set-Cookie on sign-in carries Secure, over plain http",
      /;\s*Secure/i.test(loginSetCookie(symptom) ?? ''),
      cookieAttributes(loginSetCookie(symptom)),
    ),
  ],
  remedies: [
    {
      name: 'serve n8n over https: TLS at NGINX with a certificate made by openssl, trusted by the browser',
      source: 'correct',
      apply: async (ctx, state) => {
        const cert = await makeTestCertificate(LAB_HOST, ctx.workdir);
        await nginxOf(ctx).installCertificate(cert);
        state.tlsKey = cert.spkiSha256;
        return applySite(ctx, nginxSite('guide-example', edits.tls), [{ what: 'listen ... ssl', test: /listen\s+\d+\s+ssl/ }]);
      },
      probe: async (ctx, state) => {
        const { seen, exchanges } = await signIn(ctx, 'fix-tls', labUrl(ctx, 'https'), [state.tlsKey]);
        state.kept = keptSession(seen, true);
        return exchanges;
      },
      verify: (_exchanges, state) => state.kept,
    },
    {
      name: 'N8N_SECURE_COOKIE=false (n8n restarted with it; NGINX back to plain http)',
      source: 'guide',
      apply: async (ctx) => [...(await applySite(ctx, PLAIN_SITE, PLAIN_LIVE)), ...(await restartWithEnv(ctx, { N8N_SECURE_COOKIE: 'false' }))],
      probe: async (ctx, state) => {
        const { seen, exchanges } = await signIn(ctx, 'fix-secure-cookie-false', labUrl(ctx));
        state.kept = keptSession(seen, false);
        return exchanges;
      },
      verify: (exchanges, state) => [
        ...state.kept,
        check(
          "n8n's Set-Cookie on sign-in lacks Secure",
          !/;\s*Secure/i.test(loginSetCookie(exchanges) ?? 'Secure'),
          cookieAttributes(loginSetCookie(exchanges)),
        ),
      ],
    },
  ],
  doctorBlind:
    "the doctor warns about it (secure-cookie-over-http) when given the http URL by its host name; this scenario's host name resolves only inside the browser",
});
