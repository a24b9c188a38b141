import { AbstractStartedContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { NGINX_TLS_FILES } from '../proxy/nginx-config.ts';
import { mask } from '../../base/secrets.ts';
import { LogBuffer } from './log-buffer.ts';
import { loopbackUrl } from './loopback-container.ts';
import { SiteConfigContainer, type StartedReverseProxy } from './reverse-proxy.ts';

const NGINX_PORT = 80;
/** The one file that holds the whole site config. */
export const NGINX_SITE_PATH = '/etc/nginx/conf.d/authlab.conf';
const RELOAD_SETTLE_MS = 400;

/** NGINX whose whole site config is one file, replaced and reloaded at run time (never a restart). */
export class NginxContainer extends SiteConfigContainer {
  protected readonly sitePort = NGINX_PORT;

  constructor(image: string, stack?: string) {
    super(image, stack);
    this.withExposedPorts(NGINX_PORT).withWaitStrategy(Wait.forListeningPorts()).withStartupTimeout(60_000);
  }

  override async start(): Promise<StartedNginxContainer> {
    const logs = new LogBuffer();
    this.withCopyContentToContainer([{ content: this.siteConfig, target: NGINX_SITE_PATH }]).withLogConsumer((s) => logs.attach(s));
    return new StartedNginxContainer(await super.start(), logs);
  }
}

class NginxConfigError extends Error {}

export class StartedNginxContainer extends AbstractStartedContainer implements StartedReverseProxy {
  readonly kind = 'nginx' as const;
  /** NGINX's access and error log (the image sends both to the container's output). */
  readonly logLines: LogBuffer;

  constructor(started: StartedTestContainer, logLines: LogBuffer) {
    super(started);
    this.logLines = logLines;
  }

  getBaseUrl(): string {
    return loopbackUrl(this, NGINX_PORT);
  }

  /** Replaces the site config, checks it (`nginx -t`), reloads (`nginx -s reload`), and returns `nginx -T`. */
  async applySiteConfig(config: string): Promise<string> {
    await this.copyContentToContainer([{ content: config, target: NGINX_SITE_PATH }]);
    const test = await this.exec(['nginx', '-t']);
    if (test.exitCode !== 0) throw new NginxConfigError(mask(`nginx -t refused the config:\n${test.output}\n${config}`));
    const reload = await this.exec(['nginx', '-s', 'reload']);
    if (reload.exitCode !== 0) throw new NginxConfigError(mask(`nginx -s reload failed: ${reload.output}`));
    await new Promise((r) => setTimeout(r, RELOAD_SETTLE_MS)); // old workers finish, new ones take over
    return this.effectiveConfig();
  }

  /** Puts a certificate and its key where a site with `edits.tls` reads them (before that site is applied). */
  async installCertificate(cert: { certPem: string; keyPem: string }): Promise<void> {
    await this.copyContentToContainer([
      { content: cert.certPem, target: NGINX_TLS_FILES.cert },
      { content: cert.keyPem, target: NGINX_TLS_FILES.key },
    ]);
  }

  /** What NGINX really runs (`nginx -T`), limited to the project's site file. */
  async effectiveConfig(): Promise<string> {
    const { output } = await this.exec(['nginx', '-T']);
    const at = output.indexOf(`# configuration file ${NGINX_SITE_PATH}:`);
    return at >= 0 ? output.slice(at).split(/\n# configuration file /)[0]! : output;
  }
}
