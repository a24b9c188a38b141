import { describe, expect, test } from 'vitest';
import { triggerKindOf } from '../../src/parts/diagnosis/form-chat.ts';
import type { FailureModeId } from '../../src/parts/diagnosis/modes.ts';
import { diagnoseWebhook } from '../../src/parts/diagnosis/webhook.ts';
import { type CannedAnswers, cannedServer } from '../support/canned-answers.ts';

// A stand-in answering as the forms scenarios recorded n8n 1.116.2 and 2.41.0 answering (and as
// their code reads, for the n8n User Auth form); the scenario runs check that n8n really does.
const ENTER_CREDENTIALS = { 'WWW-Authenticate': 'Basic realm="Enter credentials"' };
const CHAT_REALM_1X = { 'WWW-Authenticate': 'Basic realm="Webhook"' };
const CHAT_REALM_2X = { 'WWW-Authenticate': 'Basic realm="Webhook 0b6c"' };
const ANSWERS: CannedAnswers = {
  '/form/orders': [401, ENTER_CREDENTIALS, ''],
  '/webhook/legacy/n8n-form': [401, ENTER_CREDENTIALS, ''],
  '/form/staff': [302, { Location: 'http://n8n.example.com/oauth/authorize?response_type=code&client_id=x' }, ''],
  '/form/staff-1': [302, { Location: '/signin?redirect=%2Fform%2Fstaff-1' }, ''],
  '/form/staff-post': [401, {}, ''],
  '/form/open': [200, {}, '<!DOCTYPE html><html><body><form></form></body></html>'],
  '/webhook/0b6c/chat': [401, CHAT_REALM_2X, 'Authorization is required!'],
  '/webhook/wrong/chat': [403, CHAT_REALM_1X, 'Authorization data is wrong!'],
  '/webhook/nocookie/chat': [401, CHAT_REALM_2X, 'User not authenticated!'],
  '/webhook/nocookie-1x/chat': [500, CHAT_REALM_1X, 'User not authenticated!'],
  '/webhook/badcookie/chat': [401, CHAT_REALM_2X, 'Invalid authentication token'],
  '/webhook/basic': [401, CHAT_REALM_1X, 'Authorization is required!'],
};

const base = cannedServer(ANSWERS);

async function named(path: string, method = 'GET'): Promise<{ modes: FailureModeId[]; evidence: string }> {
  const modes: FailureModeId[] = [];
  const evidence: string[] = [];
  await diagnoseWebhook(
    { url: `${base()}${path}`, method },
    { timeoutMs: 5000 },
    () => undefined,
    (m, ...e) => (modes.push(m), evidence.push(...e)),
    [],
  );
  return { modes, evidence: evidence.join('\n') };
}

describe("the doctor reads a form's or a chat's refusal from the trigger URL and n8n's answer", () => {
  test('which trigger a URL is', () => {
    expect(triggerKindOf('https://n8n.example.com/form/orders')).toBe('form');
    expect(triggerKindOf('https://n8n.example.com/form-test/orders')).toBe('form');
    expect(triggerKindOf('https://n8n.example.com/webhook/orders/n8n-form')).toBe('form');
    expect(triggerKindOf('https://n8n.example.com/webhook/0b6c/chat')).toBe('chat');
    expect(triggerKindOf('https://n8n.example.com/webhook/orders')).toBeUndefined();
  });
  test("the form's Basic Auth: an empty 401 with its own realm, v2 and v1 URLs alike", async () => {
    const r = await named('/form/orders');
    expect(r.modes).toEqual(['form-auth-refused']);
    expect(r.evidence).toContain('realm="Enter credentials"');
    expect((await named('/webhook/legacy/n8n-form')).modes).toEqual(['form-auth-refused']);
  });
  test('the form asks for an n8n sign-in: a redirect to /oauth/authorize (2.x) or /signin, an empty 401 on submission', async () => {
    const oauth = await named('/form/staff');
    expect(oauth.modes).toEqual(['form-sign-in-required']);
    expect(oauth.evidence).toContain('/oauth/authorize');
    expect(oauth.evidence).not.toContain('client_id');
    expect((await named('/form/staff-1')).modes).toEqual(['form-sign-in-required']);
    expect((await named('/form/staff-post', 'POST')).modes).toEqual(['form-sign-in-required']);
  });
  test('a form that answers names nothing', async () => expect((await named('/form/open')).modes).toEqual([]));
  test("the chat's Basic Auth: missing (401) and wrong (403)", async () => {
    expect((await named('/webhook/0b6c/chat', 'POST')).modes).toEqual(['chat-auth-refused']);
    expect((await named('/webhook/wrong/chat', 'POST')).modes).toEqual(['chat-auth-refused']);
  });
  test("the chat's n8n User Auth: no cookie (2.x 401, 1.x 500), a cookie n8n refuses", async () => {
    expect((await named('/webhook/nocookie/chat', 'POST')).modes).toEqual(['chat-user-not-signed-in']);
    expect((await named('/webhook/nocookie-1x/chat', 'POST')).modes).toEqual(['chat-user-not-signed-in']);
    expect((await named('/webhook/badcookie/chat', 'POST')).modes).toEqual(['chat-session-invalid']);
  });
  test("the Webhook node's same texts on a URL that is no chat stay the webhook's", async () =>
    expect((await named('/webhook/basic')).modes).toEqual(['webhook-auth-refused']));
});
