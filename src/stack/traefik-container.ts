import { request } from 'undici';
import { AbstractStartedContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { loopbackUrl } from './loopback-container.ts';
import { SiteConfigContainer, type StartedReverseProxy } from './reverse-proxy.ts';

const TRAEFIK_PORT = 80;
const TRAEFIK_API_PORT = 8080;
const DYNAMIC_CONFIG = '/etc/traefik/dynamic.yml';
const RELOAD_TIMEOUT_MS = 15_000;
/** What Traefik itself answers when no router matches (n8n's own 404 reads otherwise). */
const TRAEFIK_NOT_FOUND = '404 page not found\n';
/** A path n8n answers without auth or side effects: asked through the entry point (under a router's prefix) to see it routes. */
const ROUTED_PROBE = '/healthz';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    await started.untilRouted();
    return started;
  }
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

  /** Writes the dynamic config and waits until Traefik's API shows it took the change (the file provider watches). */
  async applySiteConfig(config: string): Promise<string> {
    if (config === this.current) return this.effectiveConfig();
    const before = await this.effectiveConfig();
    await this.copyContentToContainer([{ content: config, target: DYNAMIC_CONFIG }]);
    this.current = config;
    const deadline = Date.now() + RELOAD_TIMEOUT_MS;
    for (;;) {
      const now = await this.effectiveConfig();
      if (now !== before) {
        await this.untilServing();
        return now;
      }
      if (Date.now() > deadline) throw new Error('traefik did not reload its dynamic config');
      await sleep(250);
    }
  }

  /**
   * Waits until the API lists a router and the entry point routes by it: Traefik answers its API
   * before the file provider has loaded the dynamic config, and swaps the entry point's handler a
   * moment after the API shows a new one; a request in between gets Traefik's own "404 page not
   * found" (seen on a shared stack under load). The probe goes under a router's PathPrefix.
   */
  async untilRouted(): Promise<void> {
    const deadline = Date.now() + RELOAD_TIMEOUT_MS;
    while ((await this.routers()).length === 0) {
      if (Date.now() > deadline) throw new Error(`traefik loaded no router from ${DYNAMIC_CONFIG} within ${RELOAD_TIMEOUT_MS / 1000} s`);
      await sleep(250);
    }
    await this.untilServing();
  }

  /** The routers of the dynamic config (`<name>@file`), not Traefik's own (`api@internal` on its API port). */
  private async routers(): Promise<Array<{ rule?: string }>> {
    const all = (JSON.parse(await this.effectiveConfig()) as { routers?: Record<string, { rule?: string }> }).routers ?? {};
    return Object.entries(all)
      .filter(([name]) => name.endsWith('@file'))
      .map(([, router]) => router);
  }

  private async untilServing(): Promise<void> {
    const deadline = Date.now() + RELOAD_TIMEOUT_MS;
    // Under the first PathPrefix a router matches (a deployment's routers may serve n8n under /n8n only).
    const prefix = (await this.routers()).map((r) => /PathPrefix\(`([^`]*)`\)/.exec(r.rule ?? '')?.[1]).find((p) => p !== undefined);
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
