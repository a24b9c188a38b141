import { AbstractStartedContainer, Wait } from 'testcontainers';
import { mask } from '../../base/secrets.ts';
import { loopbackUrl } from './loopback-container.ts';
import { SiteConfigContainer, type StartedReverseProxy } from './reverse-proxy.ts';

const CADDY_PORT = 80;
const CADDYFILE = '/etc/caddy/Caddyfile';
const RELOAD_SETTLE_MS = 300;

/** Caddy whose whole config is one Caddyfile, replaced and reloaded through its admin API at run time. */
export class CaddyContainer extends SiteConfigContainer {
  protected readonly sitePort = CADDY_PORT;

  constructor(image: string, stack?: string) {
    super(image, stack);
    this.withExposedPorts(CADDY_PORT).withWaitStrategy(Wait.forListeningPorts()).withStartupTimeout(60_000);
  }

  override async start(): Promise<StartedCaddyContainer> {
    this.withCopyContentToContainer([{ content: this.siteConfig, target: CADDYFILE }]);
    return new StartedCaddyContainer(await super.start());
  }
}

class StartedCaddyContainer extends AbstractStartedContainer implements StartedReverseProxy {
  readonly kind = 'caddy' as const;

  getBaseUrl(): string {
    return loopbackUrl(this, CADDY_PORT);
  }

  async applySiteConfig(config: string): Promise<string> {
    await this.copyContentToContainer([{ content: config, target: CADDYFILE }]);
    const reload = await this.exec(['caddy', 'reload', '--config', CADDYFILE, '--adapter', 'caddyfile']);
    if (reload.exitCode !== 0) throw new Error(mask(`caddy reload refused the config:\n${reload.output}\n${config}`));
    await new Promise((r) => setTimeout(r, RELOAD_SETTLE_MS));
    return this.effectiveConfig();
  }

  /** The Caddyfile as Caddy adapts it (JSON): what `caddy reload` just loaded. */
  async effectiveConfig(): Promise<string> {
    const { output } = await this.exec(['caddy', 'adapt', '--config', CADDYFILE, '--adapter', 'caddyfile', '--pretty']);
    return output;
  }
}
