import type { StartedNetwork } from 'testcontainers';
import { LoopbackContainer } from './loopback-container.ts';
import type { ProxyKind } from '../images/service-images.ts';

/** What a scenario needs of any reverse proxy in front of n8n: its URL and a run-time config swap. */
export interface StartedReverseProxy {
  readonly kind: ProxyKind;
  getBaseUrl(): string;
  /** Replaces the site config, reloads without a restart, and returns the config the proxy now runs. */
  applySiteConfig(config: string): Promise<string>;
  stop(options?: { remove?: boolean }): Promise<unknown>;
}

/** The builder side: every proxy container takes a network alias and a site config, then starts. */
export interface ReverseProxyContainer {
  withStackNetwork(network: StartedNetwork, alias: string): this;
  withSiteConfig(config: string): this;
  /** Publishes the site on this port of 127.0.0.1 instead of a free one. */
  withHostPort(port: number): this;
  start(): Promise<StartedReverseProxy>;
}

/** What every proxy container records before start: its network alias and its first site config. */
export abstract class SiteConfigContainer extends LoopbackContainer {
  protected siteConfig = '';
  /** The port the site listens on inside the container. */
  protected abstract readonly sitePort: number;

  withHostPort(port: number): this {
    return this.withExposedPorts({ container: this.sitePort, host: port });
  }

  withSiteConfig(config: string): this {
    this.siteConfig = config;
    return this;
  }

  withStackNetwork(network: StartedNetwork, alias: string): this {
    return this.withNetwork(network).withNetworkAliases(alias);
  }
}
