import { curlProbe } from '../parts/client/curl.ts';
import type { Exchange } from '../parts/client/exchange.ts';
import { fetchProbe } from '../parts/client/node-fetch-probe.ts';
import { API_KEY_HEADER, PUBLIC_WORKFLOWS } from '../parts/client/public-api.ts';
import { rawRequest } from '../parts/client/raw-http.ts';
import type { Check, Remedy, ScenarioContext } from './types.ts';

export { API_KEY_HEADER, PUBLIC_WORKFLOWS, wrongKeyOf } from '../parts/client/public-api.ts';

const LOG_SETTLE_MS = 400;

export type Sender = 'raw-socket' | 'curl' | 'node-fetch';

/** Runs a probe and attaches what n8n logged while it ran. */
export async function withN8nLog(ctx: ScenarioContext, probe: () => Promise<Exchange>): Promise<Exchange> {
  const log = ctx.n8n.container.logLines;
  const mark = log.mark();
  const exchange = await probe();
  await new Promise((r) => setTimeout(r, LOG_SETTLE_MS));
  return { ...exchange, n8nLog: log.since(mark) };
}

/** Sends headers to a path of the primary n8n the way `via` would, with n8n's log lines. */
export function send(
  ctx: ScenarioContext,
  label: string,
  headers: Array<[string, string]>,
  opts: { path?: string; via?: Sender; json?: unknown } = {},
): Promise<Exchange> {
  const url = `${ctx.n8n.container.getBaseUrl()}${opts.path ?? PUBLIC_WORKFLOWS}`;
  const via = opts.via ?? 'raw-socket';
  return withN8nLog(ctx, () => {
    if (via === 'curl') return curlProbe(label, url, headers);
    if (via === 'node-fetch') return fetchProbe(label, url, headers);
    return rawRequest({ label, url, headers, json: opts.json });
  });
}

/** The request as the guide says it should be: the key, verbatim, in X-N8N-API-KEY on /api/v1. */
export function sendKey(ctx: ScenarioContext, label = 'the key as issued, in X-N8N-API-KEY', path = PUBLIC_WORKFLOWS): Promise<Exchange> {
  return send(ctx, label, [[API_KEY_HEADER, ctx.n8n.apiKey.rawApiKey]], { path });
}

/** A remedy whose probe is the correctly sent key. */
export function sendKeyRemedy<S = void>(name: string, source: Remedy['source']): Remedy<S> {
  return { name, source, probe: async (ctx) => [await sendKey(ctx)] };
}

/** Proof from the recorded wire bytes that the request carried what the fault says. */
export function wireShows(what: string, exchange: Exchange, test: (wire: string) => boolean): Check {
  const wire = exchange.request.wire ?? '';
  const line = wire
    .split('\\r\\n')
    .filter((l) => test(l))
    .join(' | ');
  return { what, ok: test(wire), evidence: line || `wire: ${wire.slice(0, 300)}` };
}

/** Whether recorded (escaped) wire bytes carry an X-N8N-API-KEY header, whatever its case. */
export function wireHasKeyHeader(wire: string): boolean {
  return /\\r\\nx-n8n-api-key:/i.test(wire);
}

/** An env variable as n8n's container sees it; '' when unset. */
export async function n8nEnv(ctx: ScenarioContext, name: string): Promise<string> {
  return (await ctx.n8n.container.exec(['sh', '-c', `printenv ${name} || true`])).output.trim();
}

/** Proof that a check holds, with the observed value as evidence. */
export function check(what: string, ok: boolean, evidence: string): Check {
  return { what, ok, evidence };
}

/** Proof that this n8n version has what the fault needs (see Check.prerequisite). */
export function prerequisite(what: string, ok: boolean, evidence: string): Check {
  return { what, ok, evidence, prerequisite: true };
}
