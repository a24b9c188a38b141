import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { reproduceCaddy } from '../../src/features/check/caddy-site.ts';
import { readCompose } from '../../src/features/check/compose.ts';
import { deploymentOf } from '../../src/features/check/deployment.ts';
import { keyThroughTraefikLabels, proxyPath } from '../../src/features/check/proxy-checks.ts';
import { proxiesIn } from '../../src/features/check/proxy-discovery.ts';
import { renderTraefikRouting, traefikRoutes, traefikRoutingOf } from '../../src/features/check/traefik-labels.ts';

const dir = new URL('../../fixtures/deployments/', import.meta.url).pathname;

describe('the proxy a compose file runs, found by itself', () => {
  test('Caddy by image (with a registry and a tag or not), its Caddyfile from a file mount or a folder mount, resolved against the compose folder', async () => {
    const [caddy] = proxiesIn(await readCompose(`${dir}caddy/docker-compose.yml`));
    expect([caddy!.kind, caddy!.service.name, caddy!.image, caddy!.configPath]).toEqual(['caddy', 'caddy', 'caddy:2', `${dir}caddy/Caddyfile`]);
    const [broken] = proxiesIn(await readCompose(`${dir}caddy-broken/docker-compose.yml`));
    expect([broken!.image, broken!.configPath]).toEqual(['caddy:2-alpine', `${dir}caddy-broken/caddy/Caddyfile`]);
  });

  test('NGINX by its conf.d, sites-enabled or nginx.conf mount; Traefik from any registry; other images are not proxies', () => {
    const service = (name: string, image: string, volumes: Array<{ target: string; hostPath?: string }> = []) => ({
      name,
      image,
      command: [],
      env: {},
      labels: {},
      volumes,
    });
    const found = proxiesIn({
      file: 'c.yml',
      services: [
        service('web', 'docker.io/library/nginx:1.27-alpine', [
          { target: '/var/log/nginx', hostPath: '/srv/logs' },
          { target: '/etc/nginx/nginx.conf', hostPath: '/srv/nginx.conf' },
          { target: '/etc/nginx/conf.d/', hostPath: '/srv/conf.d' },
        ]),
        service('edge', 'ghcr.io/acme/traefik:v3.3'),
        service('npm', 'jc21/nginx-proxy-manager:latest'),
        service('n8n', 'n8nio/n8n:2.41.0'),
      ],
    });
    expect(found.map((f) => [f.kind, f.service.name, f.image, f.configPath])).toEqual([
      ['nginx', 'web', 'nginx:1.27-alpine', '/srv/conf.d'],
      ['traefik', 'edge', 'traefik:v3.3', undefined],
    ]);
  });

  test("n8n's tag from .env (N8N_VERSION=stable), its worker, the runners' image not taken for n8n", async () => {
    const d = deploymentOf(await readCompose(`${dir}caddy/docker-compose.yml`), {});
    expect([d.main.image, d.version, d.workers.map((w) => w.name), d.database]).toEqual([
      'docker.n8n.io/n8nio/n8n:stable',
      'stable',
      ['n8n-worker'],
      'postgres',
    ]);
  });

  test('a Caddyfile made to run here: the site on :80, upstreams to the test n8n, {$VAR} from the service env, tls left out', () => {
    const r = reproduceCaddy(readFileSync(`${dir}caddy/Caddyfile`, 'utf8'), 'Caddyfile', { DOMAIN: 'n8n.example.com' });
    expect(r.config).toContain(':80 {');
    expect(r.config).toMatch(/reverse_proxy n8n:5678 \{\n\s+flush_interval -1/);
    expect(r.config).not.toContain('email');
    expect(r.changes).toContain('site n8n.example.com -> :80 (plain HTTP: the test has no certificate)');
    expect(r.routes).toEqual([{ location: 'reverse_proxy n8n:5678', prefix: '', stripped: true }]);
    const broken = reproduceCaddy(readFileSync(`${dir}caddy-broken/caddy/Caddyfile`, 'utf8'), 'Caddyfile', {});
    expect(broken.config).toContain('header_up -X-N8N-API-KEY');
    expect(broken.config).not.toMatch(/\btls\b/);
    const sub = reproduceCaddy(
      'example.com {\n\thandle_path /n8n/* {\n\t\treverse_proxy http://app:5678\n\t}\n\thandle /other/* {\n\t\treverse_proxy /other/* x:1\n\t}\n}\n',
      'C',
      {},
    );
    expect(sub.routes).toEqual([
      { location: 'reverse_proxy http://app:5678', prefix: '/n8n', stripped: true },
      { location: 'reverse_proxy /other/* x:1', prefix: '/other', stripped: false },
    ]);
    expect(sub.config).toContain('reverse_proxy /other/* n8n:5678');
    expect(reproduceCaddy('n8n.example.com\nreverse_proxy n8n:5678\n', 'C', {}).config).toContain(':80 {\nreverse_proxy n8n:5678\n}');
  });

  test("Traefik's routers and middlewares from n8n's labels: the prefix, its strip, a headers middleware on the key", async () => {
    const ok = deploymentOf(await readCompose(`${dir}traefik-subpath/docker-compose.yml`), {});
    const routing = traefikRoutingOf(ok.main.labels)!;
    expect(routing.routers).toEqual([
      { name: 'n8n', rule: 'Host(`tools.example.com`) && PathPrefix(`/n8n`)', prefix: '/n8n', middlewares: ['n8n-strip', 'n8n-headers'] },
    ]);
    expect(traefikRoutes(routing)).toEqual([{ location: 'router n8n (Host(`tools.example.com`) && PathPrefix(`/n8n`))', prefix: '/n8n', stripped: true }]);
    const broken = traefikRoutingOf(deploymentOf(await readCompose(`${dir}traefik-broken/docker-compose.yml`), {}).main.labels)!;
    expect(broken.middlewares['n8n-headers']!.requestHeaders).toEqual({ 'X-N8N-API-KEY': '', 'X-Forwarded-Proto': 'https' });
    const rendered = renderTraefikRouting(broken);
    expect(rendered).toContain('rule: PathPrefix(`/n8n`)');
    expect(rendered).toMatch(/stripPrefix:\n\s+prefixes:\n\s+- \/n8n/);
    expect(rendered).toContain('X-N8N-API-KEY: ""');
  });

  test("Traefik 3.7 at a subdomain of its own (n8n's docs' shape): one router on the Host alone, served at the root, its headers middleware (no request header) left out", async () => {
    const project = await readCompose(`${dir}traefik-3.7/docker-compose.yml`);
    expect(proxiesIn(project).map((p) => [p.kind, p.image])).toEqual([['traefik', 'traefik:v3.7']]);
    const d = deploymentOf(project, {});
    const routing = traefikRoutingOf(d.main.labels)!;
    expect(traefikRoutes(routing)).toEqual([{ location: 'router n8n (Host(`n8n.example.com`))', prefix: '', stripped: true }]);
    expect(renderTraefikRouting(routing)).not.toContain('middlewares');
    expect([d.main.env.N8N_PROXY_HOPS, d.main.env.WEBHOOK_URL]).toEqual(['1', 'https://n8n.example.com/']);
  });

  test('read from the labels: a blanked or static key in a headers middleware fails; a prefix must be stripped and named by N8N_PATH', async () => {
    const broken = deploymentOf(await readCompose(`${dir}traefik-broken/docker-compose.yml`), {});
    const routing = traefikRoutingOf(broken.main.labels)!;
    const key = keyThroughTraefikLabels(routing, 'read');
    expect([key.passed, key.how]).toEqual([false, 'read']);
    expect(key.evidence.join('\n')).toContain('customRequestHeaders.X-N8N-API-KEY="" (Traefik removes the header');
    const path = proxyPath(broken, traefikRoutes(routing), 'traefik');
    expect([path.passed, path.fix]).toEqual([false, 'set N8N_PATH=/n8n/ on n8n (and WEBHOOK_URL with the prefix)']);
    const ok = deploymentOf(await readCompose(`${dir}traefik-subpath/docker-compose.yml`), {});
    const okRouting = traefikRoutingOf(ok.main.labels)!;
    expect([keyThroughTraefikLabels(okRouting, 'read').passed, proxyPath(ok, traefikRoutes(okRouting), 'traefik').passed]).toEqual([true, true]);
    const passedThrough = proxyPath(ok, [{ location: 'location /n8n/', prefix: '/n8n', stripped: false }], 'nginx');
    expect(passedThrough.fix).toBe('strip /n8n before n8n (verified by proxy.path-prefix)');
  });
});
