import type { ProxyKind } from '../images/service-images.ts';
import { renderCaddyfile, type CaddySite } from './caddyfile.ts';
import { renderNginx, type NginxEdit, type NginxTemplate } from './nginx-config.ts';
import { renderTraefik, type TraefikSite } from './traefik-config.ts';

/** A proxy's whole site config, built from data: an NGINX template with edits, or a Caddy site. */
export interface SiteConfig {
  kind: ProxyKind;
  render(): Promise<string>;
}

export function nginxSite(template: NginxTemplate, ...changes: NginxEdit[]): SiteConfig {
  return { kind: 'nginx', render: () => renderNginx(template, ...changes) };
}

export function caddySite(site: CaddySite = {}): SiteConfig {
  return { kind: 'caddy', render: async () => renderCaddyfile(site) };
}

export function traefikSite(site: TraefikSite = {}): SiteConfig {
  return { kind: 'traefik', render: async () => renderTraefik(site) };
}

/** What a proxy of each kind starts with: the guide's NGINX example, a plain reverse proxy otherwise. */
export function initialSite(kind: ProxyKind): SiteConfig {
  return { nginx: () => nginxSite('guide-example'), caddy: () => caddySite(), traefik: () => traefikSite() }[kind]();
}
