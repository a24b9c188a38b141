import type { Exchange } from '../../parts/client/exchange.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { edits, type NginxEdit, type NginxTemplate } from '../../parts/proxy/nginx-config.ts';
import { nginxSite } from '../../parts/proxy/site-config.ts';
import { required } from '../../core/define.ts';
import { API_KEY_HEADER, check, n8nEnv, PUBLIC_WORKFLOWS } from '../../core/probes.ts';
import type { AnyScenario, ScenarioContext } from '../../core/types.ts';
import { judgeByOutcome } from '../../core/verdict.ts';
import {
  applySite,
  hasHeader,
  passesOrDrops,
  PROXY_CLIENT_BLIND,
  keyHeader,
  neverReached,
  noKey,
  proxyScenario,
  reached,
  staticKeyScenario,
  underscoreKey,
  viaProxy,
  type Live,
  type ProxyRemedy,
} from './support.ts';

const GUIDE_FIX = 'add proxy_set_header x-n8n-api-key $http_x_n8n_api_key; (sections 4 and 5)';
const FIX_LINE: Live = { what: "the guide's fix line", test: /proxy_set_header\s+x-n8n-api-key\s+\$http_x_n8n_api_key/i };
const STATIC_KEY: Live = { what: 'a static X-N8N-API-KEY value', test: /proxy_set_header\s+X-N8N-API-KEY\s+(?!")[^$\s;]+;/i };
const REFUSED_BY_PROXY = '401 error despite correct header: the proxy strips the header; adding proxy_set_header fixes it';

/** The guide's fix line added on top of a fault. */
function guideFix(template: NginxTemplate, ...fault: NginxEdit[]): ProxyRemedy {
  return { name: GUIDE_FIX, source: 'guide', site: nginxSite(template, ...fault, edits.guideFixLine), live: [FIX_LINE] };
}

const FORWARDED_FOR_ERROR = /X-Forwarded-For.*trust proxy|ERR_ERL_UNEXPECTED_X_FORWARDED_FOR/i;
const forwardedForErrors = (exchanges: Exchange[]) => exchanges.flatMap((e) => (e.n8nLog ?? []).filter((l) => FORWARDED_FOR_ERROR.test(l)));
const ownerLogin = (ctx: ScenarioContext) => ({ emailOrLdapLoginId: ctx.n8n.owner.email, email: ctx.n8n.owner.email, password: ctx.n8n.owner.password });

export const nginxScenarios: AnyScenario[] = [
  proxyScenario({
    id: 'proxy.default-config',
    proxy: 'nginx',
    title: "NGINX's default proxy config drops the X-N8N-API-KEY header",
    guide: { section: '5', claim: 'Behind NGINX or Traefik, by default, these proxies may drop custom headers', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('guide-example'),
    live: [{ what: 'any line about the key', test: /x[-_]n8n[-_]api[-_]key/i, absent: true }],
    remedies: [guideFix('guide-example')],
    doctor: passesOrDrops,
  }),
  proxyScenario({
    id: 'proxy.blanked-header',
    proxy: 'nginx',
    title: 'proxy_set_header X-N8N-API-KEY ""; strips the key',
    guide: { section: '7', claim: REFUSED_BY_PROXY, fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('guide-example', edits.blankKeyHeader),
    live: [{ what: 'the blanking line', test: /proxy_set_header\s+X-N8N-API-KEY\s+"";/ }],
    proveFromRequest: reached('no X-N8N-API-KEY reached n8n', (h) => !hasHeader(h, API_KEY_HEADER)),
    remedies: [guideFix('guide-example', edits.blankKeyHeader), { name: 'remove the blanking line', source: 'correct', site: nginxSite('guide-example') }],
    doctor: 'proxy-loses-key',
  }),
  proxyScenario({
    id: 'proxy.pass-request-headers-off',
    proxy: 'nginx',
    title: 'proxy_pass_request_headers off; drops the key with every other client header',
    guide: { section: '7', claim: REFUSED_BY_PROXY, fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('guide-example', edits.passRequestHeadersOff),
    live: [{ what: 'proxy_pass_request_headers off', test: /proxy_pass_request_headers\s+off/ }],
    proveFromRequest: reached('no X-N8N-API-KEY reached n8n', (h) => !hasHeader(h, API_KEY_HEADER)),
    remedies: [
      guideFix('guide-example', edits.passRequestHeadersOff),
      { name: 'remove proxy_pass_request_headers off', source: 'correct', site: nginxSite('guide-example') },
    ],
    doctor: 'proxy-loses-key',
  }),
  proxyScenario({
    id: 'proxy.inheritance-trap',
    proxy: 'nginx',
    title: 'a location-level proxy_set_header silently drops the server-level one that forwards the key',
    guide: { section: '7', claim: REFUSED_BY_PROXY, fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('hardened', edits.locationSetsForwardedProto),
    live: [
      { what: 'the server-level line that forwards the key', test: /proxy_set_header\s+X-N8N-API-KEY\s+\$http_x_n8n_api_key;/ },
      { what: "the location's own proxy_set_header", test: /proxy_set_header\s+X-Forwarded-Proto/ },
    ],
    proveFromRequest: reached('no X-N8N-API-KEY reached n8n although the server block sets it', (h) => !hasHeader(h, API_KEY_HEADER)),
    remedies: [guideFix('hardened', edits.locationSetsForwardedProto)],
    doctor: 'proxy-loses-key',
  }),
  proxyScenario({
    id: 'proxy.underscore-name-dropped',
    proxy: 'nginx',
    title: 'a key sent as X_N8N_API_KEY is dropped by NGINX (underscores_in_headers off)',
    guide: { section: '5', claim: 'the proxy drops the custom header; the fix line preserves the key', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('guide-example'),
    live: [{ what: 'any underscores_in_headers line', test: /underscores_in_headers/, absent: true }],
    send: underscoreKey,
    proveFromRequest: reached('X_N8N_API_KEY did not reach n8n', (h) => !hasHeader(h, 'X_N8N_API_KEY')),
    remedies: [
      guideFix('guide-example'),
      { name: 'send the header with dashes: X-N8N-API-KEY', source: 'correct', site: nginxSite('guide-example'), send: keyHeader, inClient: true },
    ],
    doctorBlind: PROXY_CLIENT_BLIND,
  }),
  proxyScenario({
    id: 'proxy.underscores-on',
    proxy: 'nginx',
    title: 'with underscores_in_headers on, X_N8N_API_KEY reaches n8n but n8n does not read it',
    guide: { section: 'Quick fix', claim: 'the request header must be spelled x-n8n-api-key', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('guide-example', edits.underscoresOn),
    live: [{ what: 'underscores_in_headers on', test: /underscores_in_headers\s+on/ }],
    send: underscoreKey,
    proveFromRequest: reached('X_N8N_API_KEY reached n8n', (h) => hasHeader(h, 'X_N8N_API_KEY')),
    remedies: [
      guideFix('guide-example', edits.underscoresOn),
      {
        name: 'send the header with dashes: X-N8N-API-KEY',
        source: 'correct',
        site: nginxSite('guide-example', edits.underscoresOn),
        send: keyHeader,
        inClient: true,
      },
    ],
    doctorBlind: PROXY_CLIENT_BLIND,
  }),
  staticKeyScenario({
    id: 'proxy.static-key-injected',
    refusalKeepsOut: 'every client that reaches the proxy, with no key or a wrong one',
    proxy: 'nginx',
    title: 'a key injected at the proxy lets requests without a key, or with a wrong one, through',
    inject: (key) => nginxSite('guide-example', edits.staticKey(key)),
    forward: nginxSite('guide-example', edits.guideFixLine),
    live: [STATIC_KEY],
    forwardLive: [FIX_LINE],
  }),
  proxyScenario({
    id: 'proxy.static-key-rotation',
    proxy: 'nginx',
    title: 'a key hard-coded in the proxy survives rotation: after it is rotated in n8n, every request fails',
    guide: {
      section: '5',
      claim: 'Hard-coding the key in proxy config defeats the purpose of secret rotation',
      fix: 'prefer forwarding the original header instead of injecting a static value',
    },
    predicts: { outcome: 'rejected' },
    prepare: async (ctx, injected) => {
      const { id, rawApiKey: key } = required(injected, 'the key the proxy injects');
      await applySite(ctx, nginxSite('guide-example', edits.staticKey(key)), []);
      const before = await viaProxy(ctx, 'nginx', 'before rotation: no client key, through NGINX', noKey());
      await ctx.n8n.client.deleteApiKey(id);
      const old = await rawRequest({
        label: 'the rotated-out key straight to n8n',
        url: `${ctx.n8n.container.getBaseUrl()}${PUBLIC_WORKFLOWS}`,
        headers: [[API_KEY_HEADER, key]],
      });
      return [
        check('the injected key worked before rotation', before.outcome === 'accepted', `${before.response?.status}`),
        check('the injected key was rotated out in n8n (deleted)', old.outcome === 'rejected', `the old key straight to n8n: ${old.response?.status}`),
      ];
    },
    fault: (key) => nginxSite('guide-example', edits.staticKey(key)),
    live: [STATIC_KEY],
    remedies: [
      {
        name: 'forward the original header instead of the static one',
        source: 'guide',
        site: nginxSite('guide-example', edits.guideFixLine),
        live: [FIX_LINE],
      },
    ],
    doctor: 'proxy-loses-key',
  }),
  proxyScenario({
    id: 'proxy.ip-deny',
    proxy: 'nginx',
    title: 'an IP allow/deny rule in the proxy answers 401',
    guide: { section: '7', claim: '401 error only for certain IPs: IP-based firewall blocking header', fix: 'whitelist the client IP or disable the rule' },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('guide-example', edits.denyAll),
    live: [{ what: 'deny all', test: /deny\s+all/ }],
    proveFromRequest: neverReached,
    remedies: [{ name: 'disable the rule', source: 'guide', site: nginxSite('guide-example') }],
    doctor: 'proxy-refuses',
  }),
  proxyScenario({
    id: 'proxy.header-too-large',
    proxy: 'nginx',
    title: 'a cookie too large for the proxy buffers fails the request with 401',
    guide: { section: '7', claim: '401 error despite correct header: the cause is in the proxy', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('guide-example', edits.smallHeaderBuffers),
    live: [{ what: 'large_client_header_buffers 2 1k', test: /large_client_header_buffers\s+2 1k/ }],
    send: (ctx) => [...keyHeader(ctx), ['Cookie', `session=${'x'.repeat(2048)}`]],
    proveFromRequest: neverReached,
    remedies: [
      guideFix('guide-example', edits.smallHeaderBuffers),
      { name: 'give large_client_header_buffers back its default (4 8k)', source: 'correct', site: nginxSite('guide-example') },
    ],
    doctorBlind: PROXY_CLIENT_BLIND,
  }),
  proxyScenario({
    id: 'proxy.path-prefix',
    proxy: 'nginx',
    title: 'n8n under /n8n/ with the path passed through unchanged: the API call fails through the proxy, not for want of the key',
    guide: { section: 'Q2', claim: 'works on port 5678 but fails through the domain: the proxy strips the header (section 5)', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: nginxSite('path-prefix'),
    live: [{ what: 'proxy_pass without a trailing slash (the /n8n/ prefix reaches n8n)', test: /proxy_pass\s+http:\/\/n8n:5678;/ }],
    path: '/n8n/api/v1/workflows',
    proveFromRequest: reached('the key reached n8n: nothing stripped it', (h) => hasHeader(h, API_KEY_HEADER)),
    remedies: [
      guideFix('path-prefix'),
      { name: "set n8n's base path N8N_PATH=/n8n/ and restart n8n", source: 'tried', site: nginxSite('path-prefix'), n8nEnv: { N8N_PATH: '/n8n/' } },
      { name: 'strip the prefix: proxy_pass http://n8n:5678/;', source: 'correct', site: nginxSite('path-prefix', edits.stripPrefix) },
    ],
    doctor: 'proxy-path-mismatch',
    prefix: '/n8n',
  }),
  proxyScenario({
    id: 'proxy.forwarded-for-without-proxy-hops',
    proxy: 'nginx',
    title: 'behind a proxy that sets X-Forwarded-For, n8n works without any proxy setting of its own',
    guide: { section: '5', claim: 'the proxy config is all it takes: the guide never mentions N8N_PROXY_HOPS', fix: '' },
    predicts: { outcome: 'accepted' },
    prepare: async (ctx) => {
      // express-rate-limit checks X-Forwarded-For on the first request it limits, once per process.
      // Behind a proxy every request carries it; here a fresh n8n, not signed in to directly, gets
      // its first login through NGINX, as it would in production.
      ctx.progress('restarting n8n so that its first login comes through NGINX');
      await ctx.stack.replacePrimary({}, { signIn: false });
      const hops = await n8nEnv(ctx, 'N8N_PROXY_HOPS');
      return [
        check(
          'a fresh n8n process, not signed in to directly: it has checked no X-Forwarded-For yet',
          ctx.n8n.container.logLines.all().every((l) => !FORWARDED_FOR_ERROR.test(l)),
          'no X-Forwarded-For error in its log yet',
        ),
        check('N8N_PROXY_HOPS is unset', hops === '', `printenv N8N_PROXY_HOPS -> ${hops || '(unset)'}`),
      ];
    },
    fault: nginxSite('guide-example', edits.forwardedFor),
    live: [{ what: 'X-Forwarded-For set by the proxy', test: /proxy_set_header\s+X-Forwarded-For/ }],
    // The public API and the login, which is rate-limited and so reads X-Forwarded-For.
    requests: (ctx) => [
      { label: 'GET /api/v1/workflows', headers: keyHeader(ctx) },
      { label: 'POST /rest/login', headers: [], path: '/rest/login', json: ownerLogin(ctx) },
    ],
    proveFromRequest: reached('X-Forwarded-For reached n8n', (h) => hasHeader(h, 'X-Forwarded-For')),
    judge: (obs, predicts) => {
      const outcome = judgeByOutcome(obs, predicts);
      const errors = forwardedForErrors(obs.symptom);
      if (errors.length === 0) return outcome;
      const logged = errors[0]!.slice(0, 160);
      return {
        happens: 'yes',
        symptomMatches: false,
        answered: `n8n logs an error on each request; it answered ${outcome.answered}; it logged ${logged}`,
        reasons: [...outcome.reasons, `n8n answered, but logged: ${logged}`],
      };
    },
    remedies: [
      {
        name: 'set N8N_PROXY_HOPS=1 and restart n8n',
        source: 'correct',
        site: nginxSite('guide-example', edits.forwardedFor),
        n8nEnv: { N8N_PROXY_HOPS: '1' },
        verify: (exchanges) => {
          const errors = forwardedForErrors(exchanges);
          return [check('n8n logs no X-Forwarded-For validation error', errors.length === 0, errors[0] ?? 'none logged')];
        },
      },
    ],
    doctorBlind: "nothing fails: n8n answers through the proxy; the only trace is a line in n8n's own log",
  }),
];
