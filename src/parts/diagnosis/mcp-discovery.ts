import { answerOf, type Exchange } from '../client/exchange.ts';
import type { FailureModeId } from './modes.ts';

/** Sends one GET and records it. */
export type McpGet = (label: string, url: string) => Promise<Exchange>;

export interface DiscoveryReading {
  /** The resource URL n8n's protected-resource metadata names (what OAuth tokens must be issued for). */
  resource?: string;
  findings: Array<{ mode: FailureModeId; evidence: string[] }>;
  notes: string[];
}

const RESOURCE_METADATA = /resource_metadata="([^"]+)"/i;

function jsonField(e: Exchange, field: string): string | undefined {
  try {
    const value = (JSON.parse(e.response?.body ?? '') as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

const sameResource = (a: URL, b: URL) => a.origin === b.origin && a.pathname.replace(/\/+$/, '') === b.pathname.replace(/\/+$/, '');

/**
 * What an OAuth MCP client does after its first 401 (RFC 9728, RFC 8414), from the URL it called:
 * the challenge's resource_metadata, the protected-resource metadata at the called origin, then the
 * authorization server's metadata there. Broken when a URL does not answer n8n's JSON (a proxy that
 * forwards only /mcp-server/, not /.well-known/); mismatched when n8n names another origin or
 * resource than the one the client called (n8n's base URL is not the URL clients use).
 */
export async function readMcpDiscovery(called: URL, challenge: string, get: McpGet): Promise<DiscoveryReading> {
  const reading: DiscoveryReading = { findings: [], notes: [] };
  const mismatch: string[] = [];
  const broken: string[] = [];
  const named = RESOURCE_METADATA.exec(challenge)?.[1];
  if (named && URL.canParse(named) && new URL(named).origin !== called.origin)
    mismatch.push(`the challenge sends clients to ${named}, another origin than the one called (${called.origin})`);
  const prmUrl = `${called.origin}/.well-known/oauth-protected-resource${called.pathname.replace(/\/+$/, '')}`;
  const prm = await get("n8n's protected-resource metadata at the called origin", prmUrl);
  const resource = jsonField(prm, 'resource');
  if (!resource) broken.push(`GET ${prmUrl}: ${answerOf(prm)} (n8n answers JSON naming its resource)`);
  else {
    reading.resource = resource;
    if (URL.canParse(resource) && !sameResource(new URL(resource), called))
      mismatch.push(`n8n's metadata names the resource ${resource}; the client called ${called.origin}${called.pathname}`);
    else reading.notes.push(`MCP discovery: ${prmUrl} names this resource`);
  }
  const asUrl = `${called.origin}/.well-known/oauth-authorization-server`;
  const as = await get("n8n's authorization-server metadata at the called origin", asUrl);
  const issuer = jsonField(as, 'issuer');
  if (!issuer) broken.push(`GET ${asUrl}: ${answerOf(as)} (n8n answers JSON naming its issuer)`);
  else if (URL.canParse(issuer) && new URL(issuer).origin !== called.origin)
    mismatch.push(`n8n's authorization server names the issuer ${issuer}, another origin than the one called`);
  if (broken.length) reading.findings.push({ mode: 'mcp-discovery-broken', evidence: broken });
  if (mismatch.length) reading.findings.push({ mode: 'mcp-base-url-mismatch', evidence: mismatch });
  return reading;
}
