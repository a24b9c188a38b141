import { n8nEnv, check } from '../../scenarios/probes.ts';
import type { AnyScenario } from '../../scenarios/types.ts';
import { PUSH_LIVE, PUSH_SITES } from './push-sites.ts';
import { pushScenario, type PushBackend } from './push.ts';

const NOT_IN_GUIDE = 'not in the guide' as const;

/** A fix that gives NGINX everything the push connection needs (the site `complete`), reloaded. */
const completeSite = (name: string, slug: string) => ({
  name: `${name} (reloaded)`,
  slug,
  source: 'guide' as const,
  site: PUSH_SITES.complete,
  live: [PUSH_LIVE.upgrade, PUSH_LIVE.hostWithPort],
});

const addUpgrade = completeSite('NGINX passes the websocket on: proxy_http_version 1.1, Upgrade $http_upgrade, Connection "upgrade"', 'upgrade-headers');
const keepPort = completeSite('NGINX sends the Host as the browser sent it: proxy_set_header Host $http_host', 'host-with-port');

function noUpgrade(backend: PushBackend): AnyScenario {
  return pushScenario({
    name: 'no-upgrade',
    backend,
    title: `behind NGINX without the Upgrade and Connection headers, the editor (${backend} push) loses its push connection: "Connection lost"`,
    guide: {
      section: NOT_IN_GUIDE,
      claim: `users: "the editor says Connection lost behind NGINX" when the proxy does not pass websockets on (push backend ${backend})`,
      fix: 'add proxy_http_version 1.1 and the Upgrade and Connection headers to the location that serves /rest/push',
    },
    fault: { site: PUSH_SITES.noUpgrade, live: [PUSH_LIVE.noUpgrade, PUSH_LIVE.hostWithPort] },
    remedies: [addUpgrade],
    doctor:
      backend === 'websocket'
        ? { names: 'push-upgrade-dropped' }
        : { blind: 'n8n runs the SSE push backend: it takes no websocket, so a handshake straight and through the proxy has nothing to compare' },
  });
}

function hostMismatch(backend: PushBackend): AnyScenario {
  return pushScenario({
    name: 'host-mismatch',
    backend,
    title: `behind NGINX with proxy_set_header Host $host on a port other than 80, the Origin does not match the Host n8n sees: the editor (${backend} push) loses its push connection`,
    guide: {
      section: NOT_IN_GUIDE,
      claim: `users: "Connection lost" in the editor and n8n logging "Origin header does NOT match the expected origin" behind a proxy (push backend ${backend})`,
      fix: 'pass the Host with its port (proxy_set_header Host $http_host) or X-Forwarded-Host',
    },
    fault: { site: PUSH_SITES.hostWithoutPort, live: [PUSH_LIVE.upgrade, PUSH_LIVE.hostWithoutPort] },
    remedies: [keepPort],
  });
}

function noProxyHops(backend: PushBackend): AnyScenario {
  return pushScenario({
    name: 'no-proxy-hops',
    backend,
    title: `behind NGINX that sets X-Forwarded-For and -Proto, the editor (${backend} push) loses its push connection when n8n has no N8N_PROXY_HOPS`,
    guide: {
      section: NOT_IN_GUIDE,
      claim: `users: "Connection lost behind a reverse proxy until I set N8N_PROXY_HOPS=1" (push backend ${backend})`,
      fix: '',
    },
    fault: { site: PUSH_SITES.forwarded, live: [PUSH_LIVE.upgrade, PUSH_LIVE.hostWithPort, PUSH_LIVE.forwardedFor] },
    prove: async (ctx) => {
      const hops = await n8nEnv(ctx, 'N8N_PROXY_HOPS');
      return [check('N8N_PROXY_HOPS is unset', hops === '', `printenv N8N_PROXY_HOPS -> ${hops || '(unset)'}`)];
    },
    remedies: [],
  });
}

const BACKENDS: PushBackend[] = ['websocket', 'sse'];

/** Each push fault on each backend: websocket on the family's stack, SSE on its own. */
export const pushScenarios: AnyScenario[] = BACKENDS.flatMap((b) => [noUpgrade(b), hostMismatch(b), noProxyHops(b)]);
