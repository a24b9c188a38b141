import { describe, expect, test } from 'vitest';
import type { Exchange } from '../../src/parts/client/exchange.ts';
import { NOT_IN_GUIDE } from '../../src/core/guide-sections.ts';
import type { Prediction } from '../../src/core/types.ts';
import { answerLines, briefHeadline } from '../../src/core/verdict.ts';
import { answer, EDITOR, fix, notSent, UNAUTHORIZED_2X, verdictOf } from '../support/verdict-fixtures.ts';

describe('a headline never contradicts itself', () => {
  const rejected: Prediction = { outcome: 'rejected' };
  const restored = [fix('guide', 'restore the setting that changed', true)];

  test('an answer that includes the claimed status says "not always", never "not <that status>" (secrets.jwt-secret-changed on 2.41.0)', () => {
    const v = verdictOf(rejected, [answer('the owner', 500, '{"message":"Internal server error"}'), answer('a key', 401, UNAUTHORIZED_2X)], restored);
    expect(v.kind).toBe('answers-otherwise');
    expect(v.headline).toBe(`real; answers 500 "Internal server error" / 401 "Unauthorized", not always 401; the guide's fix works`);
    expect(briefHeadline(v.kind, v.answers)).toBe('real; answers 500 / 401, not always 401');
  });

  test('n8n that does not start is said as it is, beside the claimed status (secrets.key-mismatch-refuses-start)', () => {
    const v = verdictOf(rejected, [notSent('the key', 'n8n did not start: it exited with code 1; it said: Error: Mismatching encryption keys')], restored);
    expect(v.kind).toBe('answers-otherwise');
    expect(v.headline).toBe(
      `real; n8n does not start (it exited with code 1; it said: Error: Mismatching encryption keys), where the guide says 401; the guide's fix works`,
    );
    expect(briefHeadline(v.kind, v.answers)).toBe('real; n8n does not start, where the guide says 401');
  });

  test('where the guide names no status, the headline says what n8n answers beside what the guide says (browser.push-no-upgrade)', () => {
    const v = verdictOf(
      { outcome: 'other', says: 'Connection lost' },
      [answer('the push connection', 401, 'HTTP Authentication failed')],
      restored,
      NOT_IN_GUIDE,
    );
    expect(v.kind).toBe('answers-otherwise');
    expect(v.headline).toMatch(/^real; answers 401 "HTTP Authentication failed"[^;]*, where the claim says an error saying "Connection lost"; /);
    expect(briefHeadline(v.kind, v.answers)).toBe('real; answers 401, where the claim says an error');
  });

  test('the claimed status without the claimed text names the text, not "not 401" (logs.api-key-not-recognized)', () => {
    const v = verdictOf({ outcome: 'rejected', says: 'API key not recognized' }, [answer('a wrong key', 401, UNAUTHORIZED_2X)], restored);
    expect(v.headline).toBe(`real; answers 401 "Unauthorized" (neither the answer nor n8n's log says "API key not recognized"); the guide's fix works`);
    expect(answerLines(v.answers)[1]).toBe(
      `does it answer as the guide says: no: 401 "Unauthorized" (neither the answer nor n8n's log says "API key not recognized"); the guide says 401 saying "API key not recognized"`,
    );
  });

  test('every answers-otherwise headline: no "not X" where X is a status n8n gave', () => {
    const cases: Array<[Prediction, Exchange[]]> = [
      [rejected, [answer('a', 401, UNAUTHORIZED_2X), answer('b', 403, '{"message":"Forbidden"}')]],
      [{ outcome: 'forbidden' }, [answer('a', 403, 'no'), notSent('b', 'socket hang up')]],
      [{ outcome: 'not-found' }, [answer('a', 404, '{"message":"not found"}'), answer('b', 200, EDITOR)]],
    ];
    for (const [predicts, symptom] of cases) {
      const v = verdictOf(predicts, symptom, restored);
      const given = (v.answers?.answered ?? '').split(' / ').map((a) => /^\d{3}/.exec(a)?.[0]);
      for (const said of [v.headline, briefHeadline(v.kind, v.answers)]) {
        for (const status of given.filter(Boolean)) expect(said).not.toMatch(new RegExp(`, not ${status}\\b`));
      }
    }
  });
});
