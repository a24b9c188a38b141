import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { parse } from 'yaml';
import { AbstractStartedContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { loopbackUrl } from './loopback-container.ts';
import { SiteConfigContainer, type StartedReverseProxy } from './reverse-proxy.ts';

const TRAEFIK_PORT = 80;
const TRAEFIK_API_PORT = 8080;
/**
 * A second entry point that trusts every client's X-Forwarded-* headers (forwardedHeaders.insecure,
 * a static setting): a router listing it shows what Traefik forwards when told to trust them; `web`
 * keeps Traefik's default (it trusts no one and replaces them).
 */
export const TRAEFIK_TRUSTING_ENTRYPOINT = { name: 'trusting', port: 81 } as const;
const DYNAMIC_CONFIG = '/etc/traefik/dynamic.yml';
const RELOAD_TIMEOUT_MS = 15_000;
/** What Traefik itself answers when no router matches (n8n's own 404 reads otherwise). */
const TRAEFIK_NOT_FOUND = '404 page not found\n';
/** A path n8n answers without auth or side effects: asked through the entry point (under a router's prefix) to see it routes. */
const ROUTED_PROBE = '/healthz';

/**
 * Traefik (the official image, or containers/traefik's build of its release binary) with the file provider watching one
 * dynamic config, so a scenario swaps it at run time, and the API on 8080 to read what it runs.
 */
export class TraefikContainer extends SiteConfigContainer {
  protected readonly sitePort = TRAEFIK_PORT;

  constructor(image: string, stack?: string) {
    super(image, stack);
    this.withExposedPorts(TRAEFIK_PORT, TRAEFIK_API_PORT)
      .withCommand([
        `--entrypoints.web.address=:${TRAEFIK_PORT}`,
        `--entrypoints.${TRAEFIK_TRUSTING_ENTRYPOINT.name}.address=:${TRAEFIK_TRUSTING_ENTRYPOINT.port}`,
        `--entrypoints.${TRAEFIK_TRUSTING_ENTRYPOINT.name}.forwardedheaders.insecure=true`,
        `--providers.file.filename=${DYNAMIC_CONFIG}`,
        '--providers.file.watch=true',
        '--api.insecure=true',
        '--log.level=INFO',
      ])
      .withWaitStrategy(Wait.forHttp('/api/rawdata', TRAEFIK_API_PORT).forStatusCode(200))
      .withStartupTimeout(60_000);
  }

  override async start(): Promise<StartedTraefikContainer> {
    this.withCopyContentToContainer([{ content: this.siteConfig, target: DYNAMIC_CONFIG }]);
    const started = new StartedTraefikContainer(await super.start(), this.siteConfig);
    await started.untilLoaded(this.siteConfig);
    return started;
  }
}

/** The router and middleware names a dynamic config defines, sorted: what the API must list as `<name>@file`. */
function namesIn(config: string): string {
  const http = (parse(config) as { http?: { routers?: object; middlewares?: object } } | null)?.http ?? {};
  return JSON.stringify([Object.keys(http.routers ?? {}).sort(), Object.keys(http.middlewares ?? {}).sort()]);
}

/** The same names as Traefik's API lists them from the file provider (not its own `api@internal`). */
function fileNamesIn(rawdata: string): string {
  const raw = JSON.parse(rawdata) as { routers?: object; middlewares?: object };
  const fromFile = (o: object | undefined) =>
    Object.keys(o ?? {})
      .filter((n) => n.endsWith('@file'))
      .map((n) => n.slice(0, -'@file'.length))
      .sort();
  return JSON.stringify([fromFile(raw.routers), fromFile(raw.middlewares)]);
}

class StartedTraefikContainer extends AbstractStartedContainer implements StartedReverseProxy {
  readonly kind = 'traefik' as const;
  private current: string;

  constructor(started: StartedTestContainer, config: string) {
    super(started);
    this.current = config;
  }

  getBaseUrl(): string {
    return loopbackUrl(this, TRAEFIK_PORT);
  }

  /** Writes the dynamic config and waits until Traefik runs it (the file provider watches); returns what its API shows. */
  async applySiteConfig(config: string): Promise<string> {
    if (config === this.current) return this.effectiveConfig();
    const before = await this.effectiveConfig();
    await this.copyContentToContainer([{ content: config, target: DYNAMIC_CONFIG }]);
    this.current = config;
    return this.untilLoaded(config, before);
  }

  /**
   * Waits until the API shows the config (changed from `before`, with every router and middleware
   * it names: a file caught half-written loads as a config without them) and the entry point routes
   * by it: Traefik answers its API before the file provider has loaded anything, and swaps the
   * entry point's handler a moment after the API shows a new config; a request in between gets
   * Traefik's own "404 page not found" (seen on a shared stack under load).
   */
  async untilLoaded(config: string, before?: string): Promise<string> {
    const deadline = Date.now() + RELOAD_TIMEOUT_MS;
    const names = namesIn(config);
    for (;;) {
      const now = await this.effectiveConfig();
      if (now !== before && fileNamesIn(now) === names) {
        await this.untilServing(now, deadline);
        return now;
      }
      if (Date.now() > deadline) throw new Error(`traefik did not load the dynamic config within ${RELOAD_TIMEOUT_MS / 1000} s`);
      await sleep(250);
    }
  }

  /** Asks the entry point under the first PathPrefix a router matches (a deployment may serve n8n under /n8n only). */
  private async untilServing(rawdata: string, deadline: number): Promise<void> {
    const routers = (JSON.parse(rawdata) as { routers?: Record<string, { rule?: string }> }).routers ?? {};
    const prefix = Object.entries(routers)
      .filter(([name]) => name.endsWith('@file'))
      .map(([, r]) => /PathPrefix\(`([^`]*)`\)/.exec(r.rule ?? '')?.[1])
      .find((p) => p !== undefined);
    const probe = `${(prefix ?? '/').replace(/\/$/, '')}${ROUTED_PROBE}`;
    for (;;) {
      const res = await request(`${this.getBaseUrl()}${probe}`);
      const body = await res.body.text();
      if (res.statusCode !== 404 || body !== TRAEFIK_NOT_FOUND) return;
      if (Date.now() > deadline) throw new Error(`traefik's entry point routed nothing within ${RELOAD_TIMEOUT_MS / 1000} s (GET ${probe}: its own 404)`);
      await sleep(250);
    }
  }

  /** What Traefik runs, from its API (`/api/rawdata`). */
  async effectiveConfig(): Promise<string> {
    const res = await request(`${loopbackUrl(this, TRAEFIK_API_PORT)}/api/rawdata`);
    return JSON.stringify(await res.body.json(), null, 2);
  }
}
