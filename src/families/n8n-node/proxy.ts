import { edits, type NginxEdit } from '../../proxy/nginx-config.ts';
import { nginxSite } from '../../proxy/site-config.ts';
import { defineScenario } from '../../scenarios/define.ts';
import { API_KEY_HEADER, check, sendKey } from '../../scenarios/probes.ts';
import type { Check, ScenarioContext } from '../../scenarios/types.ts';
import { applySite, hasHeader, type Live } from '../proxy/support.ts';
import { BASE_URLS, deployNodeCall, DOCTOR_FROM_NODE_EXECUTION, editCall, N8N_NODE_STACK, reachedByTap, runNodeCall, type NodeState } from './support.ts';

const BLANKING_LINE: Live = { what: 'the line that blanks the key', test: /proxy_set_header\s+X-N8N-API-KEY\s+"";/ };
const FIX_LINE: Live = { what: "the guide's line that forwards the key", test: /proxy_set_header\s+x-n8n-api-key\s+\$http_x_n8n_api_key/i };

/** NGINX's site: the guide's example with these edits, reloaded (never restarted), and shown live with `nginx -T`. */
const nginxWith = (ctx: ScenarioContext, live: Live[], ...changes: NginxEdit[]) => applySite(ctx, nginxSite('guide-example', ...changes), live);

const onPublicUrl = (_ctx: ScenarioContext, call: NodeState['call']) => ({ ...call, baseUrl: BASE_URLS.publicUrl });

export const publicUrlProxyDropsKey = defineScenario<NodeState>({
  id: 'n8n-node.public-url-proxy-drops-key',
  title: 'the n8n node calling its own instance by the public URL fails with 401 when the proxy drops X-N8N-API-KEY',
  guide: {
    section: 'not in the guide',
    claim:
      "the n8n node, its credential's Base URL the instance's public URL behind NGINX, fails with 'Authorization failed - please check your credentials' although the key is right",
    fix: 'point the Base URL at n8n itself, by its container or service name (http://n8n:5678/api/v1), not through the proxy',
  },
  predicts: { outcome: 'rejected', says: 'Authorization failed' },
  stack: N8N_NODE_STACK,
  fault: async (ctx) => {
    const straight = await sendKey(ctx, 'before the fault: the key straight to n8n on 5678');
    const proof: Check[] = [
      check('the key works straight on n8n', straight.outcome === 'accepted', `${straight.response?.status ?? straight.error}`),
      ...(await nginxWith(ctx, [BLANKING_LINE], edits.blankKeyHeader)),
    ];
    return { proof, state: await deployNodeCall(ctx, { resource: 'workflow', baseUrl: BASE_URLS.publicUrl, apiKey: ctx.n8n.apiKey.rawApiKey }) };
  },
  symptom: (ctx, state) => runNodeCall(ctx, state, 'Base URL the public URL, through NGINX'),
  proveFromRequest: (symptom) => {
    const reached = reachedByTap(symptom);
    return [
      check(
        "the credential test's and the node's requests reached n8n through NGINX without X-N8N-API-KEY",
        reached.length > 0 && reached.every((e) => !hasHeader(e.request.headers, API_KEY_HEADER)),
        reached.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}: ${e.request.headers.map(([k]) => k).join(', ')}`).join('; ') ||
          'no request reached n8n',
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
    editCall(
      "the public URL again, with the guide's proxy_set_header x-n8n-api-key line added to NGINX (sections 4 and 5)",
      'tried',
      onPublicUrl,
      "the public URL with the guide's line added",
      (ctx) => nginxWith(ctx, [FIX_LINE], edits.blankKeyHeader, edits.guideFixLine),
    ),
    editCall('the public URL again, the blanking line removed from NGINX', 'correct', onPublicUrl, 'the public URL without the blanking line', (ctx) =>
      nginxWith(ctx, [{ ...BLANKING_LINE, absent: true }]),
    ),
  ],
});
