import { defineFamily } from '../../core/family.ts';
import { browserIdReuse } from './browser-id.ts';
import { oauthCallbackOtherHost } from './oauth-callback-host.ts';
import { oauthRedirectUrlUnset } from './oauth-redirect-url.ts';
import { pushScenarios } from './push-scenarios.ts';
import { secureCookieHttp } from './secure-cookie.ts';

export const browserFamily = defineFamily(
  'browser',
  'The editor in a real browser (Chromium): secure cookies, browser-id, the push connection, OAuth2 callbacks',
  [secureCookieHttp, browserIdReuse, ...pushScenarios, oauthRedirectUrlUnset, oauthCallbackOtherHost],
);
