import type { OAuthEvent } from '../../parts/stack/oauth-provider-container.ts';

/** The provider's events a refresh story is told by: grants, refusals, API calls, a slow token endpoint, revocations. */
const SHOWN = new Set(['grant.success', 'grant.error', 'api.call', 'token.delayed', 'grants.revoked', 'code.minted']);

/** One provider event as a log line: `<time> <kind> <grant type or status> <detail>`, token tails only. */
export function tokenEventLine(e: OAuthEvent): string {
  const time = e.at.slice(11, 23);
  if (e.kind === 'api.call') return `${time} api.call ${e.status}${e.error ? ` (${e.error})` : ''} token ${e.token ?? '-'}`;
  if (e.kind === 'grant.success' || e.kind === 'grant.error') {
    const refused = e.kind === 'grant.error' ? ` ${e.error}: ${e.description ?? ''}` : '';
    return `${time} ${e.kind} ${e.grantType ?? '-'}${e.refreshToken ? ` refresh token ${e.refreshToken}` : ''}${refused}`;
  }
  return `${time} ${e.kind}`;
}

export function tokenEventLines(events: OAuthEvent[]): string[] {
  return events.filter((e) => SHOWN.has(e.kind)).map(tokenEventLine);
}

/** How many refresh grants the provider gave and refused, and the statuses its API answered. */
export interface TokenCounts {
  refreshes: number;
  refused: number;
  apiStatuses: number[];
}

export function countTokenEvents(events: OAuthEvent[]): TokenCounts {
  return countTokenLines(tokenEventLines(events));
}

/** The same counts, read back from recorded lines (what a verdict is computed from). */
export function countTokenLines(lines: string[]): TokenCounts {
  return {
    refreshes: lines.filter((l) => / grant\.success refresh_token\b/.test(l)).length,
    refused: lines.filter((l) => / grant\.error refresh_token\b/.test(l)).length,
    apiStatuses: lines.flatMap((l) => / api\.call (\d{3})\b/.exec(l)?.[1] ?? []).map(Number),
  };
}
