import { record, type Exchange } from '../../parts/client/exchange.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import type { ProxyKind } from '../../parts/images/service-images.ts';
import { API_KEY_HEADER, check, PUBLIC_WORKFLOWS, send as sendStraight, withN8nLog, wrongKeyOf } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import type { ProxyHandle } from '../../parts/stack/auth-stack.ts';
import type { StartedReverseProxy } from '../../parts/stack/reverse-proxy.ts';

const PROXY_NAMES: Record<ProxyKind, string> = { nginx: 'NGINX', caddy: 'Caddy', traefik: 'Traefik' };

export type Headers = Array<[string, string]>;

export function proxyOf(ctx: ScenarioContext, kind: ProxyKind): ProxyHandle & { server: StartedReverseProxy } {
  const server = ctx.stack.proxy?.servers[kind];
  if (!ctx.stack.proxy || !server) throw new Error(`this scenario needs a stack with ${kind} in front of n8n`);
  return { ...ctx.stack.proxy, server };
}

/** A request through a proxy, with what n8n logged and the headers that reached n8n. */
export async function viaProxy(
  ctx: ScenarioContext,
  kind: ProxyKind,
  label: string,
  headers: Headers,
  path = PUBLIC_WORKFLOWS,
  json?: unknown,
): Promise<Exchange> {
  const { server, tap } = proxyOf(ctx, kind);
  const mark = tap.mark();
  const exchange = await withN8nLog(ctx, () => rawRequest({ label, url: `${server.getBaseUrl()}${path}`, headers, json }));
  const reached = await tap.requestsSince(mark);
  return record({ ...exchange, reachedN8n: reached.map((r) => r.headers) });
}

/** A request a scenario makes: through its proxy (judged) and the same bytes straight to n8n (shown, not judged). */
export interface ProxyRequest {
  label: string;
  headers: Headers;
  /** The path called through the proxy; default /api/v1/workflows. */
  path?: string;
  json?: unknown;
}

/** Each request through the proxy: what the verdict judges. */
export async function through(ctx: ScenarioContext, kind: ProxyKind, when: string, requests: ProxyRequest[]): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  for (const r of requests) exchanges.push(await viaProxy(ctx, kind, `${when}: ${r.label} (through ${PROXY_NAMES[kind]})`, r.headers, r.path, r.json));
  return exchanges;
}

/**
 * The same requests straight to n8n on 5678 (decision tree Q2: does it work there?), marked
 * `context`: shown with the evidence, never judged. A `prefix` the proxy serves n8n under is left
 * off the path, as a user calling 5678 would.
 */
export async function straight(ctx: ScenarioContext, when: string, requests: ProxyRequest[], prefix = ''): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  for (const r of requests) {
    const path = withoutPrefix(r.path ?? PUBLIC_WORKFLOWS, prefix);
    exchanges.push({
      ...(await sendStraight(ctx, `${when}: ${r.label} (straight to n8n on 5678, not judged)`, r.headers, { path, json: r.json })),
      context: true,
    });
  }
  return exchanges;
}

/** The client's one request, named by the headers it sends. */
export const clientRequest = (headers: Headers, path?: string): ProxyRequest => ({
  label: headers.length ? `sends ${headers.map(([k]) => k).join(', ')}` : 'sends no header',
  headers,
  path,
});

const withoutPrefix = (path: string, prefix: string) => (prefix && path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path);

export const keyHeader = (ctx: ScenarioContext): Headers => [[API_KEY_HEADER, ctx.n8n.apiKey.rawApiKey]];
export const underscoreKey = (ctx: ScenarioContext): Headers => [['X_N8N_API_KEY', ctx.n8n.apiKey.rawApiKey]];
export const noKey = (): Headers => [];
export const wrongKey = (ctx: ScenarioContext): Headers => [[API_KEY_HEADER, wrongKeyOf(ctx.n8n.apiKey.rawApiKey)]];
export const hasHeader = (headers: Headers, name: string) => headers.some(([k]) => k === name || k.toLowerCase() === name.toLowerCase());

/** Proof about what reached n8n, from the tap. */
export function reached(what: string, test: (headers: Headers) => boolean): (symptom: Exchange[]) => Check[] {
  return (symptom) =>
    symptom.map((e) => {
      const first = e.reachedN8n?.[0];
      return check(what, first !== undefined && test(first), first ? `n8n received: ${first.map(([k]) => k).join(', ')}` : 'no request reached n8n');
    });
}

export function neverReached(symptom: Exchange[]): Check[] {
  return [
    check(
      'the request never reached n8n',
      symptom.every((e) => (e.reachedN8n ?? []).length === 0),
      `${symptom[0]?.reachedN8n?.length ?? 0} request(s) reached n8n`,
    ),
  ];
}
