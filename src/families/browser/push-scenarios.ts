import { n8nEnv, check } from '../../core/probes.ts';
import type { AnyScenario } from '../../core/types.ts';
import { PUSH_LIVE, PUSH_SITES } from './push-sites.ts';
import { pushScenario, type PushRemedy, type PushScenario } from './push.ts';

const NOT_IN_GUIDE = 'not in the guide' as const;

/** A fix that gives NGINX everything the push connection needs (the site `complete`), reloaded. */
const completeSite = (name: string, slug: string) => ({
  name: `${name} (reloaded)`,
  slug,
  source: 'guide' as const,
  site: PUSH_SITES.complete,
  live: [PUSH_LIVE.upgrade, PUSH_LIVE.hostWithPort],
});

/**
 * For the SSE backend: n8n back on its default websocket backend (restarted), behind the complete
 * site. Recorded on 1.116.2: the editor's event stream answers 500 through NGINX, fault or not
 * (n8n 1.116.2's source refuses a push request without Origin, and a same-origin EventSource sends
 * none; 2.x lets a same-origin stream through by Sec-Fetch-Site); on 2.41.0 it connects.
 */
const websocketBackend: PushRemedy = {
  ...completeSite(
    'n8n on its default websocket backend (N8N_PUSH_BACKEND unset, n8n restarted), NGINX with Upgrade, Connection and Host $http_host',
    'websocket-backend',
  ),
  source: 'correct',
  n8nEnv: { N8N_PUSH_BACKEND: 'websocket' },
};

const addUpgrade = completeSite('NGINX passes the websocket on: proxy_http_version 1.1, Upgrade $http_upgrade, Connection "upgrade"', 'upgrade-headers');
const keepPort = completeSite('NGINX sends the Host as the browser sent it: proxy_set_header Host $http_host', 'host-with-port');

function noUpgrade({ id, backend }: Pick<PushScenario, 'id' | 'backend'>): AnyScenario {
  return pushScenario({
    id,
    backend,
    title: `behind NGINX without the Upgrade and Connection headers, the editor (${backend} push) loses its push connection: "Connection lost"`,
    guide: {
      section: NOT_IN_GUIDE,
      claim:
        backend === 'websocket'
          ? 'users: "the editor says Connection lost behind NGINX" when the proxy does not pass websockets on'
          : 'users: "Connection lost" behind NGINX without the websocket headers, even on the SSE push backend (N8N_PUSH_BACKEND=sse), the usual way around such a proxy',
      fix: 'add proxy_http_version 1.1 and the Upgrade and Connection headers to the location that serves /rest/push',
    },
    fault: { site: PUSH_SITES.noUpgrade, live: [PUSH_LIVE.noUpgrade, PUSH_LIVE.hostWithPort] },
    remedies: backend === 'sse' ? [addUpgrade, websocketBackend] : [addUpgrade],
    ...(backend === 'websocket'
      ? { doctor: 'push-upgrade-dropped' }
      : { doctorBlind: 'n8n runs the SSE push backend: it takes no websocket, so a handshake straight and through the proxy has nothing to compare' }),
  });
}

function hostMismatch({ id, backend }: Pick<PushScenario, 'id' | 'backend'>): AnyScenario {
  return pushScenario({
    id,
    backend,
    title: `behind NGINX with proxy_set_header Host $host on a port other than 80, the Origin does not match the Host n8n sees: the editor (${backend} push) loses its push connection`,
    guide: {
      section: NOT_IN_GUIDE,
      claim: `users: "Connection lost" in the editor and n8n logging "Origin header does NOT match the expected origin" behind a proxy (push backend ${backend})`,
      fix: 'pass the Host with its port (proxy_set_header Host $http_host) or X-Forwarded-Host',
    },
    fault: { site: PUSH_SITES.hostWithoutPort, live: [PUSH_LIVE.upgrade, PUSH_LIVE.hostWithoutPort] },
    remedies: backend === 'sse' ? [keepPort, websocketBackend] : [keepPort],
  });
}

/** Only on websocket: see pushScenarios. */
const noProxyHops = pushScenario({
  id: 'browser.push-no-proxy-hops',
  backend: 'websocket',
  title: 'behind NGINX that sets X-Forwarded-For and -Proto, the editor (websocket push) loses its push connection when n8n has no N8N_PROXY_HOPS',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'users: "Connection lost behind a reverse proxy until I set N8N_PROXY_HOPS=1" (push backend websocket)',
    fix: '',
  },
  fault: { site: PUSH_SITES.forwarded, live: [PUSH_LIVE.upgrade, PUSH_LIVE.hostWithPort, PUSH_LIVE.forwardedFor] },
  prove: async (ctx) => {
    const hops = await n8nEnv(ctx, 'N8N_PROXY_HOPS');
    return [check('N8N_PROXY_HOPS is unset', hops === '', `printenv N8N_PROXY_HOPS -> ${hops || '(unset)'}`)];
  },
  remedies: [],
});

/**
 * Each push fault on the websocket backend (the family's stack), and on SSE (a stack of its own)
 * the two the SSE backend is said to be a way around. N8N_PROXY_HOPS is tried on websocket only:
 * n8n (1.116.2, 2.41.0) compares the Origin with the Host and X-Forwarded-Host headers themselves,
 * on either backend, never with Express's trust-proxy view.
 */
export const pushScenarios: AnyScenario[] = [
  noUpgrade({ id: 'browser.push-no-upgrade', backend: 'websocket' }),
  hostMismatch({ id: 'browser.push-host-mismatch', backend: 'websocket' }),
  noProxyHops,
  noUpgrade({ id: 'browser.push-sse-no-upgrade', backend: 'sse' }),
  hostMismatch({ id: 'browser.push-sse-host-mismatch', backend: 'sse' }),
];
