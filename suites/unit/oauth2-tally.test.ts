import { describe, expect, test } from 'vitest';
import type { Exchange } from '../../src/parts/client/exchange.ts';
import type { Observation } from '../../src/core/types.ts';
import { judgeRace, raceTally, tryLabel } from '../../src/families/oauth2/race-tally.ts';
import { countTokenLines, tokenEventLine, tokenEventLines } from '../../src/families/oauth2/token-events.ts';

const execution = (n: number, ok: boolean, message = 'The credential "X" needs to be reconnected.'): Exchange => ({
  label: `${tryLabel(n, 3)}: execution 1 of 2 n8n saved`,
  via: 'client',
  request: { method: 'GET', url: 'http://n8n/api/v1/executions', headers: [] },
  response: { status: 200, body: JSON.stringify(ok ? { status: 'success' } : { status: 'error', error: { message } }) },
  outcome: ok ? 'accepted' : 'other',
});

const providerLines = (lines: string[]): Exchange => ({
  label: 'what the provider saw',
  via: 'n8n-workflow',
  request: { method: 'POST', url: 'http://oauth:3000/token', headers: [] },
  response: { status: 200, body: lines.join('\n') },
  outcome: 'other',
  context: true,
});

const observed = (symptom: Exchange[]): Observation => ({ faultProof: [], symptom, alongside: [], remedies: [] });

describe('the provider events as lines', () => {
  test('a refused refresh grant names its grant type, token tail and error', () => {
    const line = tokenEventLine({
      at: '2026-12-06T23:00:01.234Z',
      kind: 'grant.error',
      grantType: 'refresh_token',
      refreshToken: '...abc123',
      error: 'invalid_grant',
      description: 'grant request is invalid',
    });
    expect(line).toBe('23:00:01.234 grant.error refresh_token refresh token ...abc123 invalid_grant: grant request is invalid');
  });

  test('events that tell no refresh story are left out', () => {
    expect(tokenEventLines([{ at: '2026-12-06T23:00:01.234Z', kind: 'listening' }])).toEqual([]);
  });

  test('counts refresh grants given and refused, and the API statuses', () => {
    const counts = countTokenLines([
      '23:00:01.000 api.call 401 (token expired) token ...aaaaaa',
      '23:00:01.100 grant.success refresh_token refresh token ...bbbbbb',
      '23:00:01.200 grant.error refresh_token refresh token ...bbbbbb invalid_grant: grant request is invalid',
      '23:00:01.300 grant.success authorization_code',
      '23:00:01.400 api.call 200 token ...cccccc',
    ]);
    expect(counts).toEqual({ refreshes: 1, refused: 1, apiStatuses: [401, 200] });
  });
});

describe('the race tally', () => {
  test('a try is lost when either of its executions failed', () => {
    const tally = raceTally([execution(1, true), execution(1, false), execution(2, true), execution(2, true), execution(3, false)]);
    expect(tally).toEqual({ tries: 3, lost: 2, errors: ['The credential "X" needs to be reconnected.', 'The credential "X" needs to be reconnected.'] });
  });

  test('lost in some tries is partly, with the tally and the refusal in the answer', () => {
    const j = judgeRace(
      observed([
        execution(1, true),
        execution(2, false),
        providerLines(['23:00:01.200 grant.error refresh_token refresh token ...bbbbbb invalid_grant: grant request is invalid']),
      ]),
    );
    expect(j.happens).toBe('partly');
    expect(j.condition).toBe('in 1 of 2 tries');
    expect(j.symptomMatches).toBe(true);
    expect(j.answered).toContain('lost 1 of 2 tries');
    expect(j.answered).toContain('refused 1');
  });

  test('never lost is does-not-happen', () => {
    const j = judgeRace(observed([execution(1, true), execution(1, true)]));
    expect(j.happens).toBe('no');
    expect(j.symptomMatches).toBe(false);
  });
});
