import { registerSecret } from '../../base/secrets.ts';
import type { ScenarioContext } from '../../core/types.ts';
import type { Exchange } from '../../parts/client/exchange.ts';
import { approveOnConsentPage } from '../../parts/client/mcp-oauth-flow.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { callTrigger, keptHeader, ownerCookie, type Trigger } from './triggers.ts';

/** A browser's cookies for one site: each Set-Cookie sets one, an emptied or expired one goes. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Starts from a Cookie header's pairs (`a=1; b=2`). */
  constructor(header = '') {
    for (const pair of header.split(';')) this.set(pair);
  }

  /** Takes each Set-Cookie header's value: its first pair, dropped when emptied or expired (Max-Age=0, Expires in the past). */
  take(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const gone = attributes.some((a) => {
        const [key = '', value = ''] = a.split('=').map((x) => x.trim());
        return (/^max-age$/i.test(key) && Number(value) <= 0) || (/^expires$/i.test(key) && Date.parse(value) < Date.now());
      });
      if (gone || pair.slice(pair.indexOf('=') + 1).trim() === '') this.cookies.delete(name);
      else this.set(pair);
    }
  }

  private set(pair: string): void {
    const at = pair.indexOf('=');
    if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }

  /** The Cookie header a browser sends, or '' when it holds none. */
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** The token a form page sends back with its submission (`x-auth-token`), from the page's script; '' when it has none. */
export function formAuthTokenOf(page: string): string {
  return /const authToken = '([^']*)'/.exec(page)?.[1] ?? '';
}

/** n8n's Location moved onto n8n's published address (n8n names itself http://localhost:5678 inside its container): the same path and query. */
export function onPublished(location: string, base: string): string {
  const url = new URL(location);
  return `${base.replace(/\/$/, '')}${url.pathname}${url.search}`;
}

const MAX_HOPS = 8;

/**
 * A visitor signed in to n8n (the owner's n8n-auth cookie in the jar) opens the form as a browser
 * does: follows each redirect n8n answers (on 2.x, n8n's own OAuth server: /oauth/authorize, its
 * consent page approved as the page's button posts it, back to the form with a code), keeping the
 * cookies n8n sets, until n8n serves a page; then submits the form with what that page sends
 * (`x-auth-token` when it carries one). Every step is context; the submission is judged.
 */
export async function signedInVisit(ctx: ScenarioContext, trigger: Trigger): Promise<Exchange[]> {
  const jar = new CookieJar(ownerCookie(ctx)[1]);
  const base = ctx.n8n.container.getBaseUrl();
  const shown: Exchange[] = [];
  let token = '';
  let url = trigger.url;
  for (let hop = 1; hop <= MAX_HOPS; hop++) {
    const e = await rawRequest({
      label: `signed in: GET ${new URL(url).pathname} (step ${hop})`,
      url,
      headers: [['Cookie', jar.header()]],
      keepResponseHeaders: ['Location', 'Set-Cookie'],
      onResponse: (r) => {
        const set = (r.headers ?? []).filter(([k]) => /^set-cookie$/i.test(k)).map(([, v]) => v);
        for (const line of set) registerSecret(line.split(';')[0]!.split('=').slice(1).join('='), 'secret');
        jar.take(set);
        token = formAuthTokenOf(r.body) || token;
        if (token) registerSecret(token, 'api-key');
      },
    });
    shown.push({ ...e, context: true });
    const location = keptHeader(e, 'Location');
    if (!location || e.response?.status === undefined || e.response.status < 300 || e.response.status >= 400) break;
    const next = new URL(location, url);
    if (next.pathname.endsWith('/signin')) break;
    if (!next.pathname.endsWith('/oauth/consent')) {
      url = onPublished(next.href, base);
      continue;
    }
    const consent = await approveOnConsentPage(ctx.n8n.client, jar.header());
    shown.push(...consent.exchanges);
    if (!consent.redirectUrl) break;
    url = onPublished(consent.redirectUrl, base);
  }
  const headers: Array<[string, string]> = [['Cookie', jar.header()], ...(token ? [['x-auth-token', token] as [string, string]] : [])];
  const label = `signed in: POST the form as its page submits it${token ? " (with the page's x-auth-token)" : ''}`;
  return [...shown, await callTrigger(ctx, trigger, { label, method: 'POST', headers })];
}
