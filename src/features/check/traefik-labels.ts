import { stringify } from 'yaml';
import type { ApiRoute } from './reproduced-proxy.ts';

/** One Traefik router on n8n's service, from its labels. */
export interface TraefikRouter {
  name: string;
  rule: string;
  /** The rule's PathPrefix (without a trailing slash), or '' when it matches every path. */
  prefix: string;
  middlewares: string[];
}

/** One middleware from the labels: only the kinds that change what n8n receives are kept. */
export interface TraefikMiddleware {
  name: string;
  stripPrefixes?: string[];
  /** headers.customRequestHeaders: "" removes the header, any other value overwrites it. */
  requestHeaders?: Record<string, string>;
  /** Another kind (basicAuth, forwardAuth, ipAllowList...): named, not reproduced. */
  other?: string;
}

/** Traefik's routing to n8n as its labels declare it (the docker provider). */
export interface TraefikRouting {
  routers: TraefikRouter[];
  middlewares: Record<string, TraefikMiddleware>;
}

const ROUTER = /^traefik\.http\.routers\.([^.]+)\.(rule|middlewares)$/i;
const MIDDLEWARE = /^traefik\.http\.middlewares\.([^.]+)\.([^.]+)\.(.+)$/i;

/** `PathPrefix(`/n8n`)` (any quote) in a rule; '' when the rule has none. */
function pathPrefixOf(rule: string): string {
  const m = /PathPrefix\(\s*[`"']([^`"']*)[`"']/.exec(rule);
  return (m?.[1] ?? '').replace(/\/$/, '');
}

/** A middleware reference without its provider (`strip@docker` -> `strip`). */
const refName = (ref: string) => ref.trim().replace(/@docker$/, '');

/** The routers and middlewares n8n's labels declare; undefined when they declare no router. */
export function traefikRoutingOf(labels: Record<string, string>): TraefikRouting | undefined {
  const routers = new Map<string, TraefikRouter>();
  const middlewares: Record<string, TraefikMiddleware> = {};
  for (const [key, value] of Object.entries(labels)) {
    const r = ROUTER.exec(key);
    if (r) {
      const router = routers.get(r[1]!) ?? { name: r[1]!, rule: '', prefix: '', middlewares: [] };
      if (r[2]!.toLowerCase() === 'rule') Object.assign(router, { rule: value, prefix: pathPrefixOf(value) });
      else router.middlewares = value.split(',').map(refName).filter(Boolean);
      routers.set(router.name, router);
      continue;
    }
    const m = MIDDLEWARE.exec(key);
    if (!m) continue;
    const [name, kind, rest] = [m[1]!, m[2]!.toLowerCase(), m[3]!];
    const mw = (middlewares[name] ??= { name });
    if (kind === 'stripprefix' && rest.toLowerCase() === 'prefixes') mw.stripPrefixes = value.split(',').map((p) => p.trim());
    else if (kind === 'headers' && /^customrequestheaders\./i.test(rest))
      mw.requestHeaders = { ...mw.requestHeaders, [rest.slice('customrequestheaders.'.length)]: value };
    else if (kind !== 'headers') mw.other ??= kind;
  }
  if (!routers.size) return undefined;
  return { routers: [...routers.values()], middlewares };
}

/** Per router, the prefix a client puts before /api/v1, and whether a stripPrefix middleware in its chain removes it. */
export function traefikRoutes(routing: TraefikRouting): ApiRoute[] {
  return routing.routers.map((r) => ({
    location: `router ${r.name} (${r.rule || 'no rule'})`,
    prefix: r.prefix,
    stripped: r.prefix === '' || r.middlewares.some((m) => routing.middlewares[m]?.stripPrefixes?.some((p) => p.replace(/\/$/, '') === r.prefix)),
  }));
}

/**
 * A file-provider config for the test Traefik from the labels: each router on the `web` entry point
 * with its PathPrefix only (the Host is the test's own), its stripPrefix and headers middlewares,
 * and the test n8n as the service.
 */
export function renderTraefikRouting(routing: TraefikRouting, upstream = 'http://n8n:5678'): string {
  const kept = Object.values(routing.middlewares).filter((m) => m.stripPrefixes || m.requestHeaders);
  const routers = Object.fromEntries(
    routing.routers.map((r) => [
      r.name,
      {
        rule: r.prefix ? `PathPrefix(\`${r.prefix}\`)` : 'PathPrefix(`/`)',
        entryPoints: ['web'],
        service: 'n8n',
        ...(r.middlewares.some((m) => kept.some((k) => k.name === m)) ? { middlewares: r.middlewares.filter((m) => kept.some((k) => k.name === m)) } : {}),
      },
    ]),
  );
  const middlewares = Object.fromEntries(
    kept.map((m) => [m.name, m.stripPrefixes ? { stripPrefix: { prefixes: m.stripPrefixes } } : { headers: { customRequestHeaders: m.requestHeaders } }]),
  );
  return stringify({
    http: { routers, ...(kept.length ? { middlewares } : {}), services: { n8n: { loadBalancer: { servers: [{ url: upstream }] } } } },
  });
}
