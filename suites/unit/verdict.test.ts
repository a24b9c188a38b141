import { describe, expect, test } from 'vitest';
import type { Exchange } from '../../src/parts/client/exchange.ts';
import { judgeByOutcome } from '../../src/core/judgement.ts';
import type { Observation, Prediction } from '../../src/core/types.ts';
import { answerLines, briefHeadline, computeVerdict } from '../../src/core/verdict.ts';
import { NOT_IN_GUIDE } from '../../src/core/guide-sections.ts';
import { answer, EDITOR, fix, notSent, UNAUTHORIZED_1X, UNAUTHORIZED_2X, verdictOf, WORKFLOWS } from '../support/verdict-fixtures.ts';

describe('one headline per answer set, computed from what was recorded', () => {
  test('as-the-guide-says: headers.missing-header, 401 and the guide fix works', () => {
    const v = verdictOf(
      { outcome: 'rejected' },
      [answer('no header', 401, `{"message":"'X-N8N-API-KEY' header required"}`)],
      [fix('guide', 'send the key in the x-n8n-api-key header', true)],
    );
    expect(v.kind).toBe('as-the-guide-says');
    expect(v.answers).toMatchObject({
      happens: 'yes',
      answersAsGuideSays: true,
      guideFix: 'resolves',
      verifiedFix: 'send the key in the x-n8n-api-key header',
    });
    expect(v.headline).toBe(`real, as the guide says (401 "'X-N8N-API-KEY' header required"); the guide's fix works`);
  });

  test('answers-otherwise: endpoints.key-scopes on 2.41.0 answers 403, not 401', () => {
    const v = verdictOf(
      { outcome: 'rejected' },
      [answer('the workflow:list key on GET /api/v1/executions', 403, '{"message":"Forbidden"}')],
      [fix('guide', 'use a key assigned the needed access', true)],
    );
    expect(v.kind).toBe('answers-otherwise');
    expect(v.headline).toBe(`real; answers 403 "Forbidden", not 401; the guide's fix works`);
    expect(briefHeadline(v.kind, v.answers)).toBe('real; answers 403, not 401');
  });

  test('a failure mode the guide does not cover never reads "as the guide says": its claim is what users are told', () => {
    const v = verdictOf(
      { outcome: 'rejected' },
      [answer('a key whose user was removed', 401, UNAUTHORIZED_2X)],
      [fix('guide', 'a key of a user who is still there', true)],
      NOT_IN_GUIDE,
    );
    expect(v.kind).toBe('as-the-guide-says');
    expect(v.headline).toBe('real, as claimed (401 "Unauthorized"); the usual fix works');
    expect(briefHeadline(v.kind, v.answers)).toBe('real, as claimed');
    expect(answerLines(v.answers).join('\n')).not.toMatch(/guide/);
  });

  test('answers-otherwise: headers.trailing-newline answers 400 with an empty body', () => {
    const v = verdictOf({ outcome: 'rejected' }, [answer('a trailing line break (raw-socket)', 400, '')], [fix('guide', 'trim the value', true)]);
    expect(v.kind).toBe('answers-otherwise');
    expect(v.headline).toMatch(/^real; answers 400, not 401/);
  });

  test('guide-fix-fails: headers.zero-width-space, 401 as the guide says, and .trim() leaves U+200B', () => {
    const v = verdictOf(
      { outcome: 'rejected' },
      [answer('ZWSP (raw-socket)', 401, UNAUTHORIZED_1X)],
      [fix('guide', "the guide's .trim()", false), fix('correct', 'strip every character outside base64url', true)],
    );
    expect(v.kind).toBe('guide-fix-fails');
    expect(v.answers).toMatchObject({ happens: 'yes', answersAsGuideSays: true, guideFix: 'fails', verifiedFix: 'strip every character outside base64url' });
    expect(v.headline).toBe(`real, as the guide says (401 "unauthorized"); the guide's fix fails, "strip every character outside base64url" fixes it`);
  });

  test('answers-otherwise-guide-fix-fails: a 500 where the guide says 401, and its fix fails', () => {
    const v = verdictOf(
      { outcome: 'rejected' },
      [answer('the key after the change', 500, '{"message":"Internal Server Error"}')],
      [fix('guide', 'restart n8n', false), fix('correct', 'restore the setting that changed', true)],
    );
    expect(v.kind).toBe('answers-otherwise-guide-fix-fails');
    expect(v.headline).toBe(`real; answers 500 "Internal Server Error", not 401; the guide's fix fails, "restore the setting that changed" fixes it`);
  });

  test('does-not-happen: headers.surrounding-spaces answers 200', () => {
    const spaces = verdictOf(
      { outcome: 'rejected' },
      [answer('leading and trailing spaces (raw-socket)', 200, WORKFLOWS)],
      [fix('guide', 'trim the value', true)],
    );
    expect(spaces.kind).toBe('does-not-happen');
    expect(spaces.answers).toMatchObject({ happens: 'no', answersAsGuideSays: null });
    expect(spaces.headline).toBe('does not happen: answers 200 "{"data":[],"nextCursor":null}"');
  });

  test("the editor's page where the API was asked is a failure: endpoints.wrong-path-404 is real, answered otherwise", () => {
    const wrongPath = verdictOf(
      { outcome: 'not-found' },
      [answer('a valid key on /api/workflows', 200, EDITOR)],
      [fix('guide', 'call /api/v1/workflows', true)],
    );
    expect(wrongPath.kind).toBe('answers-otherwise');
    expect(wrongPath.headline).toBe("real; answers 200 with the editor's page, not 404; the guide's fix works");
  });

  test('works-as-the-guide-says: headers.case-insensitive, every spelling works', () => {
    const v = verdictOf(
      { outcome: 'accepted' },
      ['X-N8N-API-KEY', 'x-n8n-api-key'].map((h) => answer(h, 200, WORKFLOWS)),
      [],
    );
    expect(v.kind).toBe('works-as-the-guide-says');
    expect(v.answers).toMatchObject({ happens: 'no', answersAsGuideSays: true, guideFix: 'none-given' });
  });

  test("fails-unlike-the-guide: guide-code.curl-3-1, the guide's sample gets 401", () => {
    const v = verdictOf(
      { outcome: 'accepted' },
      [answer('section-3.1.sh as printed', 401, '{"status":"error","message":"Unauthorized"}')],
      [fix('correct', 'the same command on /api/v1/workflows', true)],
    );
    expect(v.kind).toBe('fails-unlike-the-guide');
    expect(v.headline).toBe(`fails, unlike the guide (401 "Unauthorized"); the guide gives no fix; "the same command on /api/v1/workflows" fixes it`);
  });

  test('a failure on some probes only is real, and the headline names where', () => {
    const v = verdictOf(
      { outcome: 'rejected' },
      [
        answer('NBSP (raw-socket)', 401, UNAUTHORIZED_2X),
        notSent('NBSP (node-fetch)', 'Cannot convert argument to a ByteString'),
        answer('NBSP (curl)', 200, WORKFLOWS),
      ],
      [fix('guide', 'trim the value', true)],
    );
    expect(v.answers?.happens).toBe('partly');
    expect(briefHeadline(v.kind, v.answers)).toBe('real on some requests; answers 401 / nothing sent, not always 401');
    expect(v.kind).toBe('answers-otherwise');
    expect(v.headline).toMatch(
      /^real only on NBSP \(raw-socket\), NBSP \(node-fetch\); not on NBSP \(curl\); answers 401 "Unauthorized" \/ nothing sent \(Cannot convert/,
    );
  });

  test('a quoted text that n8n does not say is an answer otherwise, naming the text', () => {
    const v = verdictOf(
      { outcome: 'rejected', says: 'API key not recognized' },
      [answer('a wrong key', 401, UNAUTHORIZED_1X)],
      [fix('guide', 'copy the key verbatim', true)],
    );
    expect(v.kind).toBe('answers-otherwise');
    expect(v.answers?.answered).toBe(`401 "unauthorized" (neither the answer nor n8n's log says "API key not recognized")`);
    expect(briefHeadline(v.kind, v.answers)).toBe('real; 401, but not the text the guide quotes');
  });

  test('a fault that was not shown to apply answers no question', () => {
    const obs: Observation = {
      faultProof: [{ what: 'env set', ok: false, evidence: 'unset' }],
      symptom: [answer('probe', 401, UNAUTHORIZED_2X)],
      alongside: [],
      remedies: [],
    };
    const v = computeVerdict('2.41.0', obs, judgeByOutcome(obs, { outcome: 'rejected' }), { outcome: 'rejected' }, '1');
    expect(v.kind).toBe('inconclusive');
    expect(v.answers).toBeUndefined();
  });

  test('a judged request that got no answer in time (symptom or fix) makes the verdict inconclusive, not a failed fix', () => {
    const late = { ...fix('correct', 'restore the JWT secret', false), exchanges: [notSent('the key issued before', 'no answer within 10000 ms')] };
    const v = verdictOf({ outcome: 'rejected' }, [answer('the key issued before', 401, UNAUTHORIZED_2X)], [late]);
    expect(v.kind).toBe('inconclusive');
    expect(v.summary).toContain('"the key issued before" got no answer in time (no answer within 10000 ms)');
    expect(verdictOf({ outcome: 'rejected' }, [notSent('probe', 'no answer within 10000 ms')], []).kind).toBe('inconclusive');
    // A refused connection is an answer of sorts (n8n is down): judged as before.
    expect(verdictOf({ outcome: 'rejected' }, [notSent('probe', 'connect ECONNREFUSED 127.0.0.1:5678')], []).kind).not.toBe('inconclusive');
  });

  test('a fault the version cannot have (only a prerequisite proof failed) is not runnable there, not inconclusive', () => {
    const obs = (ok: boolean): Observation => ({
      faultProof: [
        { what: 'n8n reads N8N_ENCRYPTION_KEY_FILE', ok: false, evidence: 'n8n started with another key in the file', prerequisite: true },
        { what: 'the key file ends with a newline', ok, evidence: '33 bytes' },
      ],
      symptom: [answer('probe', 200, WORKFLOWS)],
      alongside: [],
      remedies: [],
    });
    const lacking = computeVerdict('1.110.1', obs(true), judgeByOutcome(obs(true), { outcome: 'rejected' }), { outcome: 'rejected' }, '1');
    expect(lacking.kind).toBe('not-runnable');
    expect(lacking.summary).toBe(
      'n8n 1.110.1: not runnable on this version: this version lacks what the fault needs: n8n reads N8N_ENCRYPTION_KEY_FILE (n8n started with another key in the file)',
    );
    // A stack proof that failed as well: the project did not show its fault, inconclusive as before.
    expect(computeVerdict('1.110.1', obs(false), judgeByOutcome(obs(false), { outcome: 'rejected' }), { outcome: 'rejected' }, '1').kind).toBe('inconclusive');
  });

  test('no headline says a failure does not happen when a judged request failed', () => {
    const outcomes: Array<[number, string]> = [
      [401, UNAUTHORIZED_2X],
      [403, '{"message":"Forbidden"}'],
      [404, ''],
      [400, ''],
      [500, '{}'],
    ];
    for (const [status, body] of outcomes) {
      for (const predicts of [{ outcome: 'rejected' }, { outcome: 'not-found' }, { outcome: 'other' }] as Prediction[]) {
        expect(verdictOf(predicts, [answer('probe', status, body)], []).kind).not.toBe('does-not-happen');
      }
    }
  });
});

describe('a claimed text may be in a kept response header', () => {
  // webhooks.basic-auth-wrong: n8n 2.41.0 answered 401 with a Basic challenge, 1.116.2 403 with the same challenge.
  const challenged = (status: number, body: string): Exchange => ({
    ...answer('a wrong password', status, body),
    response: { status, body, headers: [['WWW-Authenticate', 'Basic realm="Webhook"']] },
  });
  const predicts: Prediction = { outcome: 'rejected', says: 'WWW-Authenticate: Basic' };
  test('the header counts as said', () => {
    expect(verdictOf(predicts, [challenged(401, 'Authentication data is wrong!')], [fix('guide', 'send the right password', true)]).kind).toBe(
      'as-the-guide-says',
    );
  });
  test('another status with the same challenge answers otherwise', () => {
    expect(verdictOf(predicts, [challenged(403, 'Authorization data is wrong!')], [fix('guide', 'send the right password', true)]).kind).toBe(
      'answers-otherwise',
    );
  });
});
