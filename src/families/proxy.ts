import { record, type Exchange, type Outcome } from '../client/exchange.ts';
import { rawRequest } from '../client/raw-http.ts';
import { edits, renderNginx, type NginxEdit, type NginxTemplate } from '../proxy/nginx-config.ts';
import { API_KEY_HEADER, check, PUBLIC_WORKFLOWS, sendKey, withN8nLog } from '../scenarios/probes.ts';
import type { Check, GuideClaim, Prediction, Remedy, Scenario, ScenarioContext } from '../scenarios/types.ts';
import type { ProxyHandle, StackSpec } from '../stack/auth-stack.ts';
import { judgeByOutcome } from '../scenarios/verdict.ts';

/** n8n behind NGINX, with the tap recording what NGINX sent upstream. */
export const NGINX_STACK: StackSpec = { name: 'nginx', proxy: 'nginx' };
const GUIDE_FIX = 'add proxy_set_header x-n8n-api-key $http_x_n8n_api_key; (sections 4 and 5)';

function proxyOf(ctx: ScenarioContext): ProxyHandle {
  if (!ctx.stack.proxy) throw new Error('this scenario needs a stack with a proxy');
  return ctx.stack.proxy;
}

type Headers = Array<[string, string]>;

/** A request through the proxy, with what n8n logged and the headers that reached n8n. */
async function viaProxy(ctx: ScenarioContext, label: string, headers: Headers, path = PUBLIC_WORKFLOWS, json?: unknown): Promise<Exchange> {
  const { nginx, tap } = proxyOf(ctx);
  const mark = tap.mark();
  const exchange = await withN8nLog(ctx, () => rawRequest({ label, url: `${nginx.getBaseUrl()}${path}`, headers, json }));
  const reached = await tap.requestsSince(mark);
  return record({ ...exchange, reachedN8n: reached.map((r) => r.headers) });
}

/** A directive `nginx -T` must show (or, with `absent`, must not) for a fault or fix to count as applied. */
interface Live {
  what: string;
  test: RegExp;
  absent?: boolean;
}

/** Renders the config, reloads NGINX, and proves from `nginx -T` that the change is live. */
async function applyNginx(ctx: ScenarioContext, template: NginxTemplate, changes: NginxEdit[], expectLive: Live[]): Promise<Check[]> {
  const effective = await proxyOf(ctx).nginx.applySiteConfig(await renderNginx(template, ...changes));
  return expectLive.map((l) => {
    const line = effective.split('\n').find((x) => l.test.test(x))?.trim();
    const ok = l.absent ? line === undefined : line !== undefined;
    return check(`nginx -T ${l.absent ? 'lacks' : 'shows'} ${l.what}`, ok, line ?? `no line matches ${l.test.source}`);
  });
}

const keyHeader = (ctx: ScenarioContext): Headers => [[API_KEY_HEADER, ctx.n8n.apiKey.rawApiKey]];
const hasHeader = (headers: Headers, name: string) => headers.some(([k]) => k.toLowerCase() === name.toLowerCase());

/** Proof about what reached n8n through the tap. */
function reached(what: string, test: (headers: Headers) => boolean): (symptom: Exchange[]) => Check[] {
  return (symptom) =>
    symptom.map((e) => {
      const first = e.reachedN8n?.[0];
      return check(what, first !== undefined && test(first), first ? `n8n received: ${first.map(([k]) => k).join(', ')}` : 'no request reached n8n');
    });
}

interface ProxyScenario {
  id: string;
  title: string;
  guide: GuideClaim;
  predicts: Prediction;
  template?: NginxTemplate;
  fault: NginxEdit[];
  /** What `nginx -T` must show for the fault to count as applied. */
  live: Live[];
  /** The client's headers; default: the valid key in X-N8N-API-KEY. */
  send?: (ctx: ScenarioContext) => Headers;
  /** The path called through the proxy; default /api/v1/workflows. */
  path?: string;
  /** The scenario restarts n8n (a remedy changes its env): it gets a stack of its own. */
  changesStack?: boolean;
  /** Extra proof from what reached n8n. */
  proveFromRequest?: (symptom: Exchange[]) => Check[];
  remedies: ProxyRemedy[];
}

interface ProxyRemedy {
  name: string;
  source: Remedy['source'];
  edits: NginxEdit[];
  live?: Live[];
  send?: (ctx: ScenarioContext) => Headers;
  path?: string;
  /** n8n restarted over its data with this env first. */
  n8nEnv?: Record<string, string>;
  expect?: Outcome;
}

function proxyScenario(p: ProxyScenario): Scenario {
  const template = p.template ?? 'guide-example';
  const send = p.send ?? keyHeader;
  return {
    id: `proxy.${p.id}`,
    family: 'proxy',
    title: p.title,
    guide: p.guide,
    predicts: p.predicts,
    stack: NGINX_STACK,
    changesStack: p.changesStack,
    fault: async (ctx) => {
      const direct = await sendKey(ctx, 'the same key straight to n8n on 5678');
      return [
        check('the key works when sent straight to n8n (decision tree Q2)', direct.outcome === 'accepted', `${direct.response?.status ?? direct.error}`),
        ...(await applyNginx(ctx, template, p.fault, p.live)),
      ];
    },
    symptom: async (ctx) => [await viaProxy(ctx, `${p.title} (through NGINX)`, send(ctx), p.path)],
    proveFromRequest: p.proveFromRequest,
    remedies: p.remedies.map((r) => ({
      name: r.name,
      source: r.source,
      expect: r.expect,
      apply: async (ctx) => {
        const env: Check[] = [];
        if (r.n8nEnv) {
          ctx.progress(`restarting n8n with ${Object.keys(r.n8nEnv).join(', ')}`);
          await ctx.stack.replacePrimary({ env: r.n8nEnv });
          for (const [name, value] of Object.entries(r.n8nEnv)) {
            const seen = (await ctx.n8n.container.exec(['printenv', name])).output.trim();
            env.push(check(`n8n runs with ${name}=${value}`, seen === value, `printenv ${name} -> ${seen}`));
          }
        }
        return [...env, ...(await applyNginx(ctx, template, r.edits, r.live ?? []))];
      },
      probe: async (ctx) => [await viaProxy(ctx, `after: ${r.name}`, (r.send ?? send)(ctx), r.path ?? p.path)],
    })),
  };
}

const FIX_LINE: Live = { what: "the guide's fix line", test: /proxy_set_header\s+x-n8n-api-key\s+\$http_x_n8n_api_key/i };
const guideFix = (fault: NginxEdit[]) => ({ name: GUIDE_FIX, source: 'guide' as const, edits: [...fault, edits.guideFixLine], live: [FIX_LINE] });
const underscoreKey = (ctx: ScenarioContext): Headers => [['X_N8N_API_KEY', ctx.n8n.apiKey.rawApiKey]];
const dashedKey = { send: keyHeader };
const noKey = (): Headers => [];
const wrongKey = (ctx: ScenarioContext): Headers => [[API_KEY_HEADER, `${ctx.n8n.apiKey.rawApiKey.slice(0, -1)}A`]];

/** A key made for the proxy to inject, so rotating it leaves the stack's own key alone. */
async function proxyKey(ctx: ScenarioContext): Promise<string> {
  const key = await ctx.n8n.client.createApiKey({ label: `proxy-injected-${Date.now()}` });
  ctx.memo.set('proxyKeyId', key.id);
  return key.rawApiKey;
}

const STATIC_KEY: Live = { what: 'a static X-N8N-API-KEY value', test: /proxy_set_header\s+X-N8N-API-KEY\s+(?!")[^$\s;]+;/i };

const ownerLogin = (ctx: ScenarioContext) => ({ emailOrLdapLoginId: ctx.n8n.owner.email, email: ctx.n8n.owner.email, password: ctx.n8n.owner.password });

const FORWARDED_FOR_ERROR = /X-Forwarded-For.*trust proxy|ERR_ERL_UNEXPECTED_X_FORWARDED_FOR/i;
const forwardedForErrors = (exchanges: Exchange[]) => exchanges.flatMap((e) => (e.n8nLog ?? []).filter((l) => FORWARDED_FOR_ERROR.test(l)));

/** Behind a proxy that sets X-Forwarded-For: the public API and the (rate-limited) login, with n8n's log. */
function forwardedForScenario(): Scenario {
  const base = proxyScenario({
    id: 'forwarded-for-without-proxy-hops',
    title: 'behind a proxy that sets X-Forwarded-For, n8n works without any proxy setting of its own',
    guide: { section: '5', claim: 'the proxy config is all it takes: the guide never mentions N8N_PROXY_HOPS', fix: '' },
    predicts: { outcome: 'accepted' },
    fault: [edits.forwardedFor],
    live: [{ what: 'X-Forwarded-For set by the proxy', test: /proxy_set_header\s+X-Forwarded-For/ }],
    changesStack: true,
    proveFromRequest: reached('X-Forwarded-For reached n8n', (h) => hasHeader(h, 'X-Forwarded-For')),
    remedies: [{ name: 'set N8N_PROXY_HOPS=1 and restart n8n', source: 'correct', edits: [edits.forwardedFor], n8nEnv: { N8N_PROXY_HOPS: '1' } }],
  });
  const probes = async (ctx: ScenarioContext, when: string) => [
    await viaProxy(ctx, `${when}: GET /api/v1/workflows through NGINX`, keyHeader(ctx)),
    await viaProxy(ctx, `${when}: POST /rest/login through NGINX`, [], '/rest/login', ownerLogin(ctx)),
  ];
  return {
    ...base,
    fault: async (ctx) => [
      ...(await base.fault!(ctx)),
      check('N8N_PROXY_HOPS is unset', (await ctx.n8n.container.exec(['sh', '-c', 'printenv N8N_PROXY_HOPS || true'])).output.trim() === '', 'printenv N8N_PROXY_HOPS -> (unset)'),
    ],
    symptom: (ctx) => probes(ctx, 'N8N_PROXY_HOPS unset'),
    judge: (obs, predicts) => {
      const outcome = judgeByOutcome(obs, predicts);
      const errors = forwardedForErrors(obs.symptom);
      return {
        symptomMatches: outcome.symptomMatches && errors.length === 0,
        reasons: [...outcome.reasons, ...errors.slice(0, 1).map((l) => `n8n answered, but logged: ${l.slice(0, 220)}`)],
      };
    },
    remedies: base.remedies.map((r) => ({
      ...r,
      probe: (ctx: ScenarioContext) => probes(ctx, 'N8N_PROXY_HOPS=1'),
      verify: (exchanges: Exchange[]) => {
        const errors = forwardedForErrors(exchanges);
        return [check('n8n logs no X-Forwarded-For validation error', errors.length === 0, errors[0] ?? 'none logged')];
      },
    })),
  };
}

export const proxyScenarios: Scenario[] = [
  proxyScenario({
    id: 'default-config',
    title: "NGINX's default proxy config drops the X-N8N-API-KEY header",
    guide: { section: '5', claim: 'Behind NGINX or Traefik, by default, these proxies may drop custom headers', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: [],
    live: [{ what: 'any line about the key', test: /x[-_]n8n[-_]api[-_]key/i, absent: true }],
    remedies: [guideFix([])],
  }),
  proxyScenario({
    id: 'blanked-header',
    title: 'proxy_set_header X-N8N-API-KEY ""; strips the key',
    guide: { section: '7', claim: '401 error despite correct header: the proxy strips the header; adding proxy_set_header fixes it', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: [edits.blankKeyHeader],
    live: [{ what: 'the blanking line', test: /proxy_set_header\s+X-N8N-API-KEY\s+"";/ }],
    proveFromRequest: reached('no X-N8N-API-KEY reached n8n', (h) => !hasHeader(h, API_KEY_HEADER)),
    remedies: [guideFix([edits.blankKeyHeader]), { name: 'remove the blanking line', source: 'correct', edits: [] }],
  }),
  proxyScenario({
    id: 'pass-request-headers-off',
    title: 'proxy_pass_request_headers off; drops the key with every other client header',
    guide: { section: '7', claim: '401 error despite correct header: the proxy strips the header; adding proxy_set_header fixes it', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: [edits.passRequestHeadersOff],
    live: [{ what: 'proxy_pass_request_headers off', test: /proxy_pass_request_headers\s+off/ }],
    proveFromRequest: reached('no X-N8N-API-KEY reached n8n', (h) => !hasHeader(h, API_KEY_HEADER)),
    remedies: [guideFix([edits.passRequestHeadersOff]), { name: 'remove proxy_pass_request_headers off', source: 'correct', edits: [] }],
  }),
  proxyScenario({
    id: 'inheritance-trap',
    title: 'a location-level proxy_set_header silently drops the server-level one that forwards the key',
    guide: { section: '7', claim: '401 error despite correct header: the proxy strips the header; adding proxy_set_header fixes it', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    template: 'hardened',
    fault: [edits.locationSetsForwardedProto],
    live: [
      { what: 'the server-level line that forwards the key', test: /proxy_set_header\s+X-N8N-API-KEY\s+\$http_x_n8n_api_key;/ },
      { what: "the location's own proxy_set_header", test: /proxy_set_header\s+X-Forwarded-Proto/ },
    ],
    proveFromRequest: reached('no X-N8N-API-KEY reached n8n although the server block sets it', (h) => !hasHeader(h, API_KEY_HEADER)),
    remedies: [guideFix([edits.locationSetsForwardedProto])],
  }),
  proxyScenario({
    id: 'underscore-name-dropped',
    title: 'a key sent as X_N8N_API_KEY is dropped by NGINX (underscores_in_headers off)',
    guide: { section: '5', claim: 'the proxy drops the custom header; the fix line preserves the key', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: [],
    live: [{ what: 'any underscores_in_headers line', test: /underscores_in_headers/, absent: true }],
    send: underscoreKey,
    proveFromRequest: reached('X_N8N_API_KEY did not reach n8n', (h) => !hasHeader(h, 'X_N8N_API_KEY')),
    remedies: [guideFix([]), { name: 'send the header with dashes: X-N8N-API-KEY', source: 'correct', edits: [], ...dashedKey }],
  }),
  proxyScenario({
    id: 'underscores-on',
    title: 'with underscores_in_headers on, X_N8N_API_KEY reaches n8n but n8n does not read it',
    guide: { section: 'Quick fix', claim: 'the request header must be spelled x-n8n-api-key', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: [edits.underscoresOn],
    live: [{ what: 'underscores_in_headers on', test: /underscores_in_headers\s+on/ }],
    send: underscoreKey,
    proveFromRequest: reached('X_N8N_API_KEY reached n8n', (h) => hasHeader(h, 'X_N8N_API_KEY')),
    remedies: [guideFix([edits.underscoresOn]), { name: 'send the header with dashes: X-N8N-API-KEY', source: 'correct', edits: [edits.underscoresOn], ...dashedKey }],
  }),
  {
    ...proxyScenario({
      id: 'static-key-injected',
      title: 'a key injected at the proxy lets requests without a key, or with a wrong one, through',
      guide: { section: '5', claim: 'the Traefik example: inject the key at the proxy (customrequestheaders x-n8n-api-key=YOUR_KEY)', fix: 'prefer forwarding the original header instead of injecting a static value' },
      predicts: { outcome: 'accepted' },
      fault: [],
      live: [],
      send: noKey,
      remedies: [
        { name: 'forward the original header: a client without a key is refused', source: 'guide', edits: [edits.guideFixLine], live: [FIX_LINE], send: noKey, expect: 'rejected' },
        { name: 'forward the original header: a client with its own key passes', source: 'guide', edits: [edits.guideFixLine], live: [FIX_LINE], ...dashedKey },
      ],
    }),
    fault: async (ctx) => {
      const key = await proxyKey(ctx);
      return applyNginx(ctx, 'guide-example', [edits.staticKey(key)], [STATIC_KEY]);
    },
    symptom: async (ctx) => [await viaProxy(ctx, 'no key at all, through NGINX', noKey()), await viaProxy(ctx, 'a wrong key, through NGINX', wrongKey(ctx))],
    proveFromRequest: reached('n8n received a key the client never sent', (h) => hasHeader(h, API_KEY_HEADER)),
  },
  {
    ...proxyScenario({
      id: 'static-key-rotation',
      title: 'a key hard-coded in the proxy survives rotation: after it is rotated in n8n, every request fails',
      guide: { section: '5', claim: 'Hard-coding the key in proxy config defeats the purpose of secret rotation', fix: 'prefer forwarding the original header instead of injecting a static value' },
      predicts: { outcome: 'rejected' },
      fault: [],
      live: [],
      remedies: [{ name: 'forward the original header instead of the static one', source: 'guide', edits: [edits.guideFixLine], live: [FIX_LINE] }],
    }),
    fault: async (ctx) => {
      const key = await proxyKey(ctx);
      const proof = await applyNginx(ctx, 'guide-example', [edits.staticKey(key)], [STATIC_KEY]);
      const before = await viaProxy(ctx, 'before rotation: no client key, through NGINX', noKey());
      await ctx.n8n.client.deleteApiKey(ctx.memo.get('proxyKeyId')!);
      const old = await sendKey(ctx, 'the rotated-out key straight to n8n');
      const directOld = await rawRequest({ label: 'old key direct', url: `${ctx.n8n.container.getBaseUrl()}${PUBLIC_WORKFLOWS}`, headers: [[API_KEY_HEADER, key]] });
      return [
        ...proof,
        check('the injected key worked before rotation', before.outcome === 'accepted', `${before.response?.status}`),
        check('the injected key was rotated out in n8n (deleted)', directOld.outcome === 'rejected', `old key straight to n8n: ${directOld.response?.status}; the stack key: ${old.response?.status}`),
      ];
    },
  },
  proxyScenario({
    id: 'ip-deny',
    title: 'an IP allow/deny rule in the proxy answers 401',
    guide: { section: '7', claim: '401 error only for certain IPs: IP-based firewall blocking header', fix: 'whitelist the client IP or disable the rule' },
    predicts: { outcome: 'rejected' },
    fault: [edits.denyAll],
    live: [{ what: 'deny all', test: /deny\s+all/ }],
    proveFromRequest: (symptom) => [check('the request never reached n8n', symptom.every((e) => (e.reachedN8n ?? []).length === 0), `${symptom[0]?.reachedN8n?.length ?? 0} request(s) reached n8n`)],
    remedies: [{ name: 'disable the rule', source: 'guide', edits: [] }],
  }),
  proxyScenario({
    id: 'header-too-large',
    title: 'a cookie too large for the proxy buffers fails the request with 401',
    guide: { section: '7', claim: '401 error despite correct header: the cause is in the proxy', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    fault: [edits.smallHeaderBuffers],
    live: [{ what: 'large_client_header_buffers 2 1k', test: /large_client_header_buffers\s+2 1k/ }],
    send: (ctx) => [...keyHeader(ctx), ['Cookie', `session=${'x'.repeat(2048)}`]],
    proveFromRequest: (symptom) => [check('the request never reached n8n', symptom.every((e) => (e.reachedN8n ?? []).length === 0), `${symptom[0]?.reachedN8n?.length ?? 0} request(s) reached n8n`)],
    remedies: [guideFix([edits.smallHeaderBuffers]), { name: 'give large_client_header_buffers back its default (4 8k)', source: 'correct', edits: [] }],
  }),
  proxyScenario({
    id: 'path-prefix',
    title: 'n8n under /n8n/ with the path passed through unchanged: the API call fails through the proxy, not for want of the key',
    guide: { section: 'Q2', claim: 'works on port 5678 but fails through the domain: the proxy strips the header (section 5)', fix: GUIDE_FIX },
    predicts: { outcome: 'rejected' },
    template: 'path-prefix',
    fault: [],
    live: [{ what: 'proxy_pass without a trailing slash (the /n8n/ prefix reaches n8n)', test: /proxy_pass\s+http:\/\/n8n:5678;/ }],
    path: '/n8n/api/v1/workflows',
    changesStack: true,
    proveFromRequest: reached('the key reached n8n: nothing stripped it', (h) => hasHeader(h, API_KEY_HEADER)),
    remedies: [
      guideFix([]),
      { name: "set n8n's base path N8N_PATH=/n8n/ and restart n8n", source: 'tried', edits: [], n8nEnv: { N8N_PATH: '/n8n/' } },
      { name: 'strip the prefix: proxy_pass http://n8n:5678/;', source: 'correct', edits: [edits.stripPrefix] },
    ],
  }),
  forwardedForScenario(),
];
