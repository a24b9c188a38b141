import { defineFamily } from '../../scenarios/family.ts';
import { browserIdReuse } from './browser-id.ts';
import { oauthCallbackOtherHost } from './oauth-callback-host.ts';
import { oauthRedirectUrlUnset } from './oauth-redirect-url.ts';
import { secureCookieHttp } from './secure-cookie.ts';

export const browserFamily = defineFamily('browser', 'The editor in a real browser (Chromium): secure cookies, browser-id, OAuth2 callbacks', [
  secureCookieHttp,
  browserIdReuse,
  oauthRedirectUrlUnset,
  oauthCallbackOtherHost,
]);
