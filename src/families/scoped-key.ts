import { check } from '../core/probes.ts';
import type { Check, ScenarioContext } from '../core/types.ts';
import { registerSecret } from '../base/secrets.ts';

/** A key asked for with only some scopes, and the proof of what n8n made of the request. */
export interface ScopedKey {
  /** The raw key, when n8n created it (the proof says why not). */
  key: string | undefined;
  proof: Check[];
}

/** What n8n granted, against what was asked for: versions differ (some grant every scope unlicensed). */
function grantedScopes(asked: string[], granted: string[] | undefined, lacking: string): string {
  if (!granted) return 'no scopes in its answer';
  if (JSON.stringify(granted) === JSON.stringify(asked)) return `exactly ${asked.join(', ')}`;
  return `${granted.length} scopes, not the ones asked for${granted.includes(lacking) ? ` (${lacking} among them)` : ''}`;
}

/**
 * Asks n8n for a key with only `scopes`, as the editor does, and proves that the instance offers
 * `lacking` (the scope the failing call needs) and that the key was created. What n8n grants is
 * its behaviour, not the fault: the evidence records it, with the licence flag n8n reports.
 */
export async function createScopedKey(ctx: ScenarioContext, label: string, scopes: string[], lacking: string): Promise<ScopedKey> {
  const offered = (await ctx.n8n.client.apiKeyScopes()) ?? [];
  const settings = await ctx.n8n.client.call('GET', '/rest/settings');
  const enterprise = (settings.json as { data?: { enterprise?: Record<string, unknown> } } | undefined)?.data?.enterprise ?? {};
  const licensed = 'apiKeyScopes' in enterprise ? String(enterprise.apiKeyScopes) : 'not reported';
  const answer = await ctx.n8n.client.requestApiKey({ label, expiresAt: null, scopes });
  const data = (answer.json as { data?: { rawApiKey?: string; scopes?: string[] } } | undefined)?.data;
  if (data?.rawApiKey) registerSecret(data.rawApiKey, 'api-key');
  const proof = [
    check(
      `the instance offers ${lacking}, which the key does not ask for`,
      offered.includes(lacking) && !scopes.includes(lacking),
      `offered: ${offered.length} scopes, ${lacking} ${offered.includes(lacking) ? 'among them' : 'missing'}`,
    ),
    check(
      `a key asked for with only ${scopes.join(', ')} was created`,
      answer.status === 200 && Boolean(data?.rawApiKey),
      `POST /rest/api-keys -> ${answer.status}${answer.status === 200 ? '' : ` ${answer.text.slice(0, 160)}`}; n8n granted ${grantedScopes(scopes, data?.scopes, lacking)}; licensed feature apiKeyScopes: ${licensed}`,
    ),
  ];
  return { key: data?.rawApiKey, proof };
}
