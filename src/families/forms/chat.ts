import { wrongKeyOf } from '../../core/probes.ts';
import { judgedOf } from '../../parts/client/exchange.ts';
import { failed } from '../../core/judgement.ts';
import type { AnyScenario, DoctorExpectation } from '../../core/types.ts';
import { type TriggerCase, triggerScenario } from './factory.ts';
import { basicAuthHeader, ownerCookie } from './triggers.ts';

const hasHeader = (name: string) => (l: string[]) => l.some((x) => x.toLowerCase().startsWith(`${name}:`));

const CHAT_BASIC_FIX = "send the chat's messages with the user and password of the trigger's Basic Auth credential";

const rightCredentials: TriggerCase['remedies'][number] = {
  name: "the credential's user and password (Authorization: Basic)",
  source: 'guide',
  call: (_ctx, t) => ({ label: "POST a chat message with the credential's user and password", method: 'POST', headers: [basicAuthHeader(t.user, t.password)] }),
};

function basicChat(c: Pick<TriggerCase, 'id' | 'title' | 'guide' | 'symptom' | 'predicts' | 'refusalKeepsOut'>): AnyScenario {
  return triggerScenario({ trigger: { kind: 'chat', auth: 'basicAuth' }, remedies: [rightCredentials], doctorNames: 'chat-auth-refused', ...c });
}

const chatBasicMissing = basicChat({
  id: 'forms.chat-basic-auth-missing',
  refusalKeepsOut: 'a chat user without credentials',
  title: 'a public Chat Trigger with Basic Auth refuses a message without credentials: 401 "Authorization is required!"',
  guide: {
    section: 'not in the guide',
    claim: 'a public Chat Trigger with Basic Auth answers a message without credentials 401 "Authorization is required!"',
    fix: CHAT_BASIC_FIX,
  },
  predicts: { outcome: 'rejected', says: 'Authorization is required!' },
  symptom: [
    {
      call: () => ({ label: 'POST a chat message with no Authorization header', method: 'POST' }),
      proves: { what: 'the message carried no Authorization', test: (l) => !hasHeader('authorization')(l) },
    },
  ],
});

const chatBasicWrong = basicChat({
  id: 'forms.chat-basic-auth-wrong',
  refusalKeepsOut: 'a chat user with a wrong password',
  title: 'a public Chat Trigger with Basic Auth answers a wrong password 403 "Authorization data is wrong!", not 401',
  guide: {
    section: 'not in the guide',
    claim: 'a public Chat Trigger with Basic Auth answers a wrong password 403 "Authorization data is wrong!"',
    fix: CHAT_BASIC_FIX,
  },
  predicts: { outcome: 'forbidden', says: 'Authorization data is wrong!' },
  symptom: [
    {
      call: (_ctx, t) => ({ label: 'POST a chat message with a wrong password', method: 'POST', headers: [basicAuthHeader(t.user, wrongKeyOf(t.password))] }),
      proves: { what: 'the message carried Authorization: Basic', test: hasHeader('authorization') },
    },
  ],
});

const USER_AUTH_FIX = 'open the chat signed in to n8n, so that the browser sends its n8n-auth cookie';

/** The message as a signed-in user's browser sends it: with the owner's n8n-auth cookie. */
const signedIn: TriggerCase['remedies'][number] = {
  name: "the owner's n8n-auth cookie (signed in to n8n)",
  source: 'guide',
  call: (ctx) => ({ label: "POST a chat message with the owner's n8n-auth cookie", method: 'POST', headers: [ownerCookie(ctx)] }),
};

function userAuthChat(
  c: Pick<TriggerCase, 'id' | 'title' | 'guide' | 'symptom' | 'predicts' | 'refusalKeepsOut'> & { doctorNames: DoctorExpectation['names'] },
): AnyScenario {
  return triggerScenario({ trigger: { kind: 'chat', auth: 'n8nUserAuth' }, remedies: [signedIn], ...c });
}

const chatNoCookie = userAuthChat({
  id: 'forms.chat-user-auth-no-cookie',
  refusalKeepsOut: 'a visitor not signed in to n8n',
  title: 'a public Chat Trigger with n8n User Auth refuses a message without the n8n-auth cookie: "User not authenticated!"',
  guide: {
    section: 'not in the guide',
    claim: 'a public Chat Trigger with n8n User Auth answers a message without the n8n-auth cookie 401 "User not authenticated!"',
    fix: USER_AUTH_FIX,
  },
  predicts: { outcome: 'rejected', says: 'User not authenticated!' },
  doctorNames: 'chat-user-not-signed-in',
  symptom: [
    {
      call: () => ({ label: 'POST a chat message with no cookie', method: 'POST' }),
      proves: { what: 'the message carried no Cookie', test: (l) => !hasHeader('cookie')(l) },
    },
  ],
});

const chatBadCookie = userAuthChat({
  id: 'forms.chat-user-auth-bad-cookie',
  refusalKeepsOut: 'anyone who sends any n8n-auth cookie, signed in or not',
  title: 'a public Chat Trigger with n8n User Auth refuses a message with a forged n8n-auth cookie: "Invalid authentication token"',
  guide: {
    section: 'not in the guide',
    claim: 'a public Chat Trigger with n8n User Auth answers a message with an n8n-auth cookie n8n did not issue 401 "Invalid authentication token"',
    fix: USER_AUTH_FIX,
  },
  predicts: { outcome: 'rejected', says: 'Invalid authentication token' },
  // n8n 1.x lets any n8n-auth value in (200): nothing refuses there.
  doctorNames: { among: ['chat-session-invalid', 'healthy'], decide: (symptom) => (judgedOf(symptom).some(failed) ? 'chat-session-invalid' : 'healthy') },
  symptom: [
    {
      call: () => ({ label: 'POST a chat message with a made-up n8n-auth cookie', method: 'POST', headers: [['Cookie', 'n8n-auth=not-a-token-n8n-issued']] }),
      proves: { what: 'the message carried an n8n-auth cookie n8n never issued', test: (l) => l.includes('Cookie: n8n-auth=not-a-token-n8n-issued') },
    },
  ],
});

export const chatScenarios = [chatBasicMissing, chatBasicWrong, chatNoCookie, chatBadCookie];
