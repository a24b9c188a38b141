import type { Exchange } from '../../parts/client/exchange.ts';
import { edits, type NginxEdit } from '../../parts/proxy/nginx-config.ts';
import { nginxSite } from '../../parts/proxy/site-config.ts';
import { defineScenario } from '../../core/define.ts';
import { API_KEY_HEADER, check, send, sendKey } from '../../core/probes.ts';
import type { AnyScenario, Check, Remedy, ScenarioContext, ScenarioInfo } from '../../core/types.ts';
import { applySite, hasHeader, type Live } from '../proxy/support.ts';
import { BASE_URLS, deployNodeCall, DOCTOR_FROM_NODE_EXECUTION, editCall, N8N_NODE_STACK, reachedByTap, runNodeCall, type NodeState } from './support.ts';

const BLANKING_LINE: Live = { what: 'the line that blanks the key', test: /proxy_set_header\s+X-N8N-API-KEY\s+"";/ };
const FIX_LINE: Live = { what: "the guide's line that forwards the key", test: /proxy_set_header\s+x-n8n-api-key\s+\$http_x_n8n_api_key/i };
const STATIC_KEY: Live = { what: 'a static X-N8N-API-KEY value', test: /proxy_set_header\s+X-N8N-API-KEY\s+(?!")[^$\s;]+;/i };

/** NGINX's site: the guide's example with these edits, reloaded (never restarted), and shown live with `nginx -T`. */
const nginxWith = (ctx: ScenarioContext, live: Live[], ...changes: NginxEdit[]) => applySite(ctx, nginxSite('guide-example', ...changes), live);

const onPublicUrl = (_ctx: ScenarioContext, call: NodeState['call']) => ({ ...call, baseUrl: BASE_URLS.publicUrl });

/** A proxy config a fix or a fault puts live: edits on the guide's example and what `nginx -T` must show. */
interface ProxySite {
  edits: NginxEdit[];
  live: Live[];
}

/**
 * A public-URL scenario: defineScenario's fields (its id written in full,
 * `n8n-node.public-url-proxy-drops-key`) and these: the proxy's fault, its proof, its fixes.
 */
type PublicUrlFault = Omit<ScenarioInfo, 'predicts' | 'stack' | 'proveFromRequest'> & {
  /** The faulty site; made at fault time (it may inject a key made then), with the checks of what it took to make it. */
  fault: (ctx: ScenarioContext) => Promise<ProxySite & { proof: Check[] }>;
  /** What the requests that reached n8n through NGINX show, as proof that the fault applied. */
  reached: { what: string; test: (headers: Array<[string, string]>) => boolean };
  /** The proxy fixed, with the public URL kept. */
  fixed: ProxySite & { name: string };
  /** A fix users reach for, recorded with what it does. */
  tried?: ProxySite & { name: string };
};

/** The fix users are told for every public-URL fault. */
const SERVICE_NAME_FIX = 'point the Base URL at n8n itself, by its container or service name (http://n8n:5678/api/v1), not through the proxy';

const proxyFix = (name: string, source: Remedy['source'], site: ProxySite): Remedy<NodeState> =>
  editCall(`the public URL again, ${name}`, source, onPublicUrl, `the public URL, ${name}`, (ctx) => nginxWith(ctx, site.live, ...site.edits));

/**
 * The n8n node pointed at its own instance's public URL, with NGINX in between doing something to
 * the key: the key works straight on n8n, the node fails through the proxy. The fix users are
 * told is a Base URL that reaches n8n without the proxy (its service name); fixing the proxy works too.
 */
function publicUrlScenario({ fault, reached: proven, fixed, tried, ...info }: PublicUrlFault): AnyScenario {
  return defineScenario<NodeState>({
    ...info,
    predicts: { outcome: 'rejected', says: 'Authorization failed' },
    stack: N8N_NODE_STACK,
    fault: async (ctx) => {
      const straight = await sendKey(ctx, 'before the fault: the key straight to n8n on 5678');
      const site = await fault(ctx);
      const proof: Check[] = [
        check('the key works straight on n8n', straight.outcome === 'accepted', `${straight.response?.status ?? straight.error}`),
        ...site.proof,
        ...(await nginxWith(ctx, site.live, ...site.edits)),
      ];
      return { proof, state: await deployNodeCall(ctx, { resource: 'workflow', baseUrl: BASE_URLS.publicUrl, apiKey: ctx.n8n.apiKey.rawApiKey }) };
    },
    symptom: (ctx, state) => runNodeCall(ctx, state, 'Base URL the public URL, through NGINX'),
    proveFromRequest: (symptom) => {
      const reached = reachedByTap(symptom);
      const seen = (e: Exchange) => `${e.request.method} ${new URL(e.request.url).pathname}: ${e.request.headers.map(([k]) => k).join(', ')}`;
      return [
        check(
          proven.what,
          reached.length > 0 && reached.every((e) => proven.test(e.request.headers)),
          reached.map(seen).join('; ') || 'no request reached n8n',
        ),
      ];
    },
    doctor: DOCTOR_FROM_NODE_EXECUTION,
    remedies: [
      editCall(
        'Base URL: n8n by its service name, http://n8n:5678/api/v1',
        'guide',
        (_ctx, call) => ({ ...call, baseUrl: BASE_URLS.serviceName }),
        'Base URL http://n8n:5678/api/v1',
      ),
      ...(tried ? [proxyFix(tried.name, 'tried', tried)] : []),
      proxyFix(fixed.name, 'correct', fixed),
    ],
  });
}

const blanked = publicUrlScenario({
  id: 'n8n-node.public-url-proxy-drops-key',
  title: 'the n8n node calling its own instance by the public URL fails with 401 when the proxy drops X-N8N-API-KEY',
  guide: {
    section: 'not in the guide',
    claim:
      "the n8n node, its credential's Base URL the instance's public URL behind NGINX, fails with 'Authorization failed - please check your credentials' although the key is right",
    fix: SERVICE_NAME_FIX,
  },
  fault: async () => ({ edits: [edits.blankKeyHeader], live: [BLANKING_LINE], proof: [] }),
  reached: {
    what: "the credential test's and the node's requests reached n8n through NGINX without X-N8N-API-KEY",
    test: (headers) => !hasHeader(headers, API_KEY_HEADER),
  },
  tried: {
    name: "with the guide's proxy_set_header x-n8n-api-key line added to NGINX (sections 4 and 5)",
    edits: [edits.blankKeyHeader, edits.guideFixLine],
    live: [FIX_LINE],
  },
  fixed: { name: 'the blanking line removed from NGINX', edits: [], live: [{ ...BLANKING_LINE, absent: true }] },
});

/** A key made for NGINX to inject (the guide's Traefik example, on NGINX), then rotated out in n8n. */
async function injectRotatedKey(ctx: ScenarioContext): Promise<ProxySite & { proof: Check[] }> {
  const injected = await ctx.n8n.client.createApiKey({ label: `n8n-node-proxy-injected-${Date.now()}` });
  await ctx.n8n.client.deleteApiKey(injected.id);
  const old = await send(ctx, 'the rotated-out key straight to n8n', [[API_KEY_HEADER, injected.rawApiKey]]);
  return {
    edits: [edits.staticKey(injected.rawApiKey)],
    live: [STATIC_KEY],
    proof: [
      check('the key NGINX injects was rotated out in n8n (deleted)', old.outcome === 'rejected', `straight to n8n: ${old.response?.status ?? old.error}`),
    ],
  };
}

const injected = publicUrlScenario({
  id: 'n8n-node.public-url-proxy-injects-rotated-key',
  title: "the n8n node calling its own instance by the public URL fails with 401 when the proxy replaces the credential's key with a rotated one",
  guide: {
    section: 'not in the guide',
    claim:
      "the n8n node, its credential's key right and its Base URL the public URL behind a proxy that injects a static key (the guide's Traefik example) since rotated, fails with 'Authorization failed - please check your credentials'",
    fix: SERVICE_NAME_FIX,
  },
  fault: injectRotatedKey,
  reached: {
    what: "the credential test's and the node's requests reached n8n through NGINX with an X-N8N-API-KEY (the proxy's, not dropped)",
    test: (headers) => hasHeader(headers, API_KEY_HEADER),
  },
  fixed: {
    name: 'NGINX forwarding the original header instead of the static one',
    edits: [edits.guideFixLine],
    live: [FIX_LINE, { ...STATIC_KEY, absent: true }],
  },
});

export const publicUrlScenarios = [blanked, injected];
