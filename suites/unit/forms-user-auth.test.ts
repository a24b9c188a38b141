import { describe, expect, test } from 'vitest';
import type { Observation } from '../../src/core/types.ts';
import { computeVerdict } from '../../src/core/verdict.ts';
import { type Exchange, record } from '../../src/parts/client/exchange.ts';
import { formAuthOffer } from '../../src/families/forms/node-types.ts';
import { judgeSignInRedirect, redirectTarget, SIGN_IN_CLAIM } from '../../src/families/forms/sign-in-judge.ts';
import { CookieJar, formAuthTokenOf, onPublished } from '../../src/families/forms/sign-in-walk.ts';

/** The Form Trigger's descriptions as n8n's /types/nodes.json lists them (trimmed to what is read). */
const auth = (...values: string[]) => ({ name: 'authentication', options: values.map((value) => ({ value })) });
const NODES_2X = [
  { name: 'n8n-nodes-base.formTrigger', version: 1, properties: [] },
  { name: 'n8n-nodes-base.formTrigger', version: [2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6], properties: [auth('basicAuth', 'n8nUserAuth', 'none')] },
  { name: 'n8n-nodes-base.webhook', version: [1, 2], properties: [auth('basicAuth', 'n8nUserAuth')] },
];
const NODES_1X = [
  { name: 'n8n-nodes-base.formTrigger', version: 1, properties: [] },
  { name: 'n8n-nodes-base.formTrigger', version: [2, 2.1, 2.2, 2.3], properties: [auth('basicAuth', 'none')] },
];

describe("the Form Trigger's authentications, read from n8n's node types", () => {
  test('2.x offers n8n User Auth: the newest version offering it is deployed', () => {
    const offer = formAuthOffer(NODES_2X, 'n8nUserAuth');
    expect(offer).toMatchObject({ offered: true, typeVersion: 2.6 });
    expect(offer.evidence).toContain('versions 2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6: authentication basicAuth, n8nUserAuth, none');
  });

  test("1.x does not (another node's option does not count); the newest version is named", () => {
    expect(formAuthOffer(NODES_1X, 'n8nUserAuth')).toMatchObject({ offered: false, typeVersion: 2.3 });
  });

  test('no node types at all (a refused read): nothing offered', () => {
    expect(formAuthOffer({ status: 'error' }, 'n8nUserAuth')).toEqual({ offered: false, typeVersion: 0, evidence: 'no Form Trigger in its node types' });
  });
});

const answer = (method: string, status: number, headers: Array<[string, string]> = [], body = ''): Exchange =>
  record({
    label: `${method} the form`,
    via: 'raw-socket',
    request: { method, url: 'http://127.0.0.1:1/form/x', headers: [] },
    response: { status, body, headers },
  });
const observed = (...symptom: Exchange[]): Observation => ({ faultProof: [], symptom, alongside: [], remedies: [] });

describe('a visitor not signed in, judged against what users are told (GET: 302 to /signin; POST: 401)', () => {
  test('as users are told: a relative /signin redirect and an empty 401', () => {
    const j = judgeSignInRedirect(observed(answer('GET', 302, [['Location', '/signin?redirect=http%3A%2F%2Fx%2Fform%2Fx']]), answer('POST', 401)));
    expect(j).toMatchObject({ happens: 'yes', symptomMatches: true, reasons: [] });
    expect(j.answered).toBe('302 to /signin, then 401 to the submission');
  });

  test("2.x: sent to n8n's own OAuth server instead, named without the flow's query", () => {
    const location = 'http://localhost:5678/oauth/authorize?response_type=code&state=secret-state';
    const j = judgeSignInRedirect(observed(answer('GET', 302, [['Location', location]]), answer('POST', 401)));
    expect(j.happens).toBe('yes');
    expect(j.symptomMatches).toBe(false);
    expect(j.answered).toBe('302 to /oauth/authorize (http://localhost:5678), then 401 to the submission');
    expect(j.reasons).toEqual(['GET the form: users are told a 302 to /signin, n8n answered 302 to /oauth/authorize (http://localhost:5678)']);
  });

  test("the headline names where n8n sent the visitor instead of /signin, the claim's words beside it", () => {
    const location = 'http://localhost:5678/oauth/authorize?response_type=code';
    const obs = observed(answer('GET', 302, [['Location', location]]), answer('POST', 401));
    obs.remedies.push({ name: 'sign in first', source: 'guide', checks: [], exchanges: [], expect: 'accepted', resolved: true });
    const predicts = { outcome: 'rejected' as const, answer: SIGN_IN_CLAIM };
    const v = computeVerdict('2.41.0', obs, judgeSignInRedirect(obs), predicts, 'not in the guide');
    expect(v.kind).toBe('answers-otherwise');
    expect(v.headline).toBe('real; answers 302 to /oauth/authorize (http://localhost:5678), then 401 to the submission, not as claimed; the usual fix works');
    expect(v.answers?.guideSays).toBe('302 to /signin, then 401 to the submission');
  });

  test('a form served to anyone: the failure does not happen', () => {
    const page = '<!DOCTYPE html><html><form></form></html>';
    const j = judgeSignInRedirect(observed({ ...answer('GET', 200, [], page), outcome: 'accepted' }, answer('POST', 200, [], '{"message":"ok"}')));
    expect(j.happens).toBe('no');
    expect(j.answered).toBe('200 "<!DOCTYPE html><html><form></form></html>", then 200 "{"message":"ok"}" to the submission');
  });

  test('a redirect target keeps its origin, drops its query; a 302 without Location has none', () => {
    expect(redirectTarget(answer('GET', 302, [['Location', 'https://n8n.example.com/signin?redirect=x']]))).toBe('https://n8n.example.com/signin');
    expect(redirectTarget(answer('GET', 302))).toBeUndefined();
  });
});

describe("the signed-in visitor's cookie jar and the form page's token", () => {
  test('keeps what n8n sets, drops what it clears', () => {
    const jar = new CookieJar('n8n-auth=owner');
    jar.take(['n8n-oauth-session=s1; Path=/; HttpOnly', 'n8n-form-oauth=t%2B1; Max-Age=60; Path=/form/x; SameSite=Lax']);
    expect(jar.header()).toBe('n8n-auth=owner; n8n-oauth-session=s1; n8n-form-oauth=t%2B1');
    jar.take(['n8n-oauth-session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'n8n-form-oauth=t%2B1; Max-Age=0']);
    expect(jar.header()).toBe('n8n-auth=owner');
    expect(new CookieJar('').header()).toBe('');
  });

  test('the token a 2.x form page sends as x-auth-token; none on a page without one', () => {
    expect(formAuthTokenOf("\t\tconst authToken = 'abc.def-1';\n\t\tconst headers = {};")).toBe('abc.def-1');
    expect(formAuthTokenOf("const authToken = '';")).toBe('');
    expect(formAuthTokenOf('<html></html>')).toBe('');
  });

  test("n8n's own address in a Location is followed on its published port, path and query kept", () => {
    expect(onPublished('http://localhost:5678/oauth/authorize?a=1&b=2', 'http://127.0.0.1:32768/')).toBe('http://127.0.0.1:32768/oauth/authorize?a=1&b=2');
  });
});
