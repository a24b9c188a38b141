import { edits } from '../../parts/proxy/nginx-config.ts';
import { nginxSite } from '../../parts/proxy/site-config.ts';
import type { AnyScenario } from '../../core/types.ts';
import { TWO_INSTANCES } from '../stacks.ts';
import { proxyScenario } from './support.ts';

/** The second instance's name on the stack network (the first is reached through the tap as `n8n`). */
const OTHER_N8N = 'n8n-2';

/**
 * NGINX's upstream names another n8n (a second instance with its own data, owner and keys): the key
 * that works straight on n8n is refused through the proxy, as if the proxy dropped it; the line
 * users are told to add changes nothing, pointing the upstream at this n8n does.
 */
export const otherInstanceScenario: AnyScenario = proxyScenario({
  id: 'proxy.upstream-another-instance',
  proxy: 'nginx',
  title: "NGINX's upstream names another n8n instance: the key is refused through the proxy as if it were dropped",
  guide: {
    section: 'not in the guide',
    claim: 'a key that works straight on n8n and gets 401 through NGINX is dropped by the proxy',
    fix: 'add proxy_set_header x-n8n-api-key $http_x_n8n_api_key;',
  },
  predicts: { outcome: 'rejected' },
  stack: TWO_INSTANCES,
  // A lab (and its compose export) has one n8n: this fault needs the second.
  lab: false,
  fault: nginxSite('guide-example', edits.upstreamHost(OTHER_N8N)),
  live: [{ what: `proxy_pass to ${OTHER_N8N}`, test: new RegExp(`proxy_pass\\s+http://${OTHER_N8N}:5678`) }],
  remedies: [
    {
      name: 'add proxy_set_header x-n8n-api-key $http_x_n8n_api_key;',
      source: 'guide',
      site: nginxSite('guide-example', edits.upstreamHost(OTHER_N8N), edits.guideFixLine),
    },
    { name: 'point the upstream at this n8n', source: 'correct', site: nginxSite('guide-example') },
  ],
  doctor: 'proxy-routes-to-another-n8n',
});
