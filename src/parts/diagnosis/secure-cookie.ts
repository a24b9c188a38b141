import { answerOf, type Exchange } from '../client/exchange.ts';

/** Where a browser keeps a Secure cookie over plain http: localhost and loopback addresses count as secure contexts. */
const LOCAL_HOST = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The URLs a browser would open over plain http by a name that is not localhost: where n8n's Secure cookie is dropped. */
export function insecureBrowserUrls(urls: Array<string | undefined>): string[] {
  return urls.filter((u): u is string => {
    if (!u) return false;
    try {
      const url = new URL(u);
      return url.protocol === 'http:' && !LOCAL_HOST.test(url.hostname);
    } catch {
      return false;
    }
  });
}

/** `authCookie.secure` from n8n's answer to GET /rest/settings (public on 1.x and 2.x); undefined when the answer does not say. */
export function cookieSecureOf(settings: Exchange): boolean | undefined {
  try {
    const secure = (JSON.parse(settings.response?.body ?? '') as { data?: { authCookie?: { secure?: unknown } } }).data?.authCookie?.secure;
    return typeof secure === 'boolean' ? secure : undefined;
  } catch {
    return undefined;
  }
}

/** What the settings answer means for a browser on `url`: a warning's evidence, or a note when it is fine or cannot be told. */
export function secureCookieReading(url: string, settings: Exchange): { trap: boolean; line: string } {
  const secure = cookieSecureOf(settings);
  if (secure === undefined)
    return { trap: false, line: `n8n's settings do not say whether its cookie is Secure (GET /rest/settings: ${answerOf(settings, 80)})` };
  if (!secure) return { trap: false, line: `n8n's cookie is not Secure (N8N_SECURE_COOKIE=false): a browser on ${url} keeps it` };
  return {
    trap: true,
    line: `GET ${url}/rest/settings: authCookie.secure is true, and ${url} is plain http by a name other than localhost: a browser drops the cookie, every /rest call after sign-in is 401`,
  };
}
