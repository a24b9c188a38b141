/**
 * A Traefik dynamic configuration (file provider) in front of n8n, as data: the router, the
 * service, and the guide's `customrequestheaders` middleware when a scenario sets headers.
 */
export interface TraefikSite {
  /** headers.customRequestHeaders: name to value ("" removes the header, as in Traefik). */
  customRequestHeaders?: Record<string, string>;
  upstream?: string;
  /** The entry points the router listens on; default: web (the published one). */
  entryPoints?: string[];
}

export function renderTraefik(site: TraefikSite = {}): string {
  const headers = Object.entries(site.customRequestHeaders ?? {});
  const middleware = headers.length
    ? [
        '  middlewares:',
        '    n8n-headers:',
        '      headers:',
        '        customRequestHeaders:',
        ...headers.map(([k, v]) => `          ${k}: ${JSON.stringify(v)}`),
      ]
    : [];
  return [
    'http:',
    '  routers:',
    '    n8n:',
    '      rule: "PathPrefix(`/`)"',
    `      entryPoints: [${(site.entryPoints ?? ['web']).join(', ')}]`,
    '      service: n8n',
    ...(headers.length ? ['      middlewares: [n8n-headers]'] : []),
    ...middleware,
    '  services:',
    '    n8n:',
    '      loadBalancer:',
    `        servers: [{ url: "${site.upstream ?? 'http://n8n:5678'}" }]`,
    '',
  ].join('\n');
}
