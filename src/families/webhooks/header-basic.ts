import { wrongKeyOf } from '../../core/probes.ts';
import { check } from '../../core/probes.ts';
import type { AnyScenario } from '../../core/types.ts';
import { hookScenario, type HookCase, sendRightAuth } from './factory.ts';
import { basicHeader, HOOK_HEADER, hookCredential } from './hooks.ts';

/** A Header Auth scenario: the caller's header as given, refused (users believe) with 401; fixed by the header as the credential says. */
function headerCase(c: Pick<HookCase, 'id' | 'title' | 'guide' | 'symptom'> & Partial<HookCase>): AnyScenario {
  return hookScenario({
    predicts: { outcome: 'rejected' },
    auth: 'headerAuth',
    remedies: [sendRightAuth(`send ${HOOK_HEADER} with the credential's value`)],
    ...c,
  });
}

const HEADER_FIX = 'send the header the credential names, with its exact value';

const headerLine = (lines: string[]) => lines.find((l) => l.toLowerCase().startsWith(`${HOOK_HEADER.toLowerCase()}:`));

const missing = headerCase({
  id: 'webhooks.header-auth-missing',
  refusalKeepsOut: "a caller without the webhook's header",
  title: 'a Header Auth webhook called without its header is refused',
  guide: { section: 'not in the guide', claim: 'a Header Auth webhook called without its header answers 401 Unauthorized', fix: HEADER_FIX },
  symptom: [
    { call: () => ({ label: `no ${HOOK_HEADER} header` }), proves: { what: `the call carried no ${HOOK_HEADER}`, test: (l) => headerLine(l) === undefined } },
  ],
});

const wrongValue = headerCase({
  id: 'webhooks.header-auth-wrong-value',
  refusalKeepsOut: 'a caller with a wrong header value',
  title: 'a Header Auth webhook called with a wrong value is refused',
  guide: { section: 'not in the guide', claim: 'a wrong Header Auth value answers 401 Unauthorized', fix: HEADER_FIX },
  symptom: [
    {
      call: ({ hook }) => ({ label: `${HOOK_HEADER} with a wrong value`, headers: [[HOOK_HEADER, wrongKeyOf(hook.secrets.headerValue)]] }),
      proves: { what: `the call carried ${HOOK_HEADER}`, test: (l) => headerLine(l) !== undefined },
    },
  ],
});

const trailingSpace = headerCase({
  id: 'webhooks.header-auth-trailing-space',
  title: 'a trailing space after the Header Auth value makes n8n refuse the call',
  guide: { section: 'not in the guide', claim: 'a trailing space after the Header Auth value gets 401: n8n compares the value exactly', fix: HEADER_FIX },
  symptom: [
    {
      call: ({ hook }) => ({ label: `${HOOK_HEADER}: the value and a trailing space`, headers: [[HOOK_HEADER, `${hook.secrets.headerValue} `]] }),
      proves: { what: 'the value went on the wire with a trailing space', test: (l) => / $/.test(headerLine(l) ?? '') },
    },
  ],
});

const trailingNewline = headerCase({
  id: 'webhooks.header-auth-trailing-newline',
  title: 'a trailing newline after the Header Auth value makes n8n refuse the call',
  guide: { section: 'not in the guide', claim: 'a Header Auth value sent with a trailing newline (a pasted line break) gets 401', fix: HEADER_FIX },
  symptom: [
    {
      call: ({ hook }) => ({ label: `${HOOK_HEADER}: the value and a trailing \\n`, headers: [[HOOK_HEADER, `${hook.secrets.headerValue}\n`]] }),
      proves: { what: 'the value went on the wire followed by a bare \\n', test: (l) => /\\n$/.test(headerLine(l) ?? '') },
    },
  ],
});

/** A value pasted into the credential with the line break after it. */
export const pastedWithNewline = (value: string): string => `${value}\n`;

const storedNewline = headerCase({
  id: 'webhooks.header-auth-credential-trailing-newline',
  title: 'a Header Auth credential saved with a trailing newline refuses the right value',
  guide: {
    section: 'not in the guide',
    claim: "a Header Auth credential whose value was pasted with a trailing newline refuses the caller's exact value",
    fix: "retype the value in the Webhook's credential",
  },
  symptom: [{ call: ({ hook }) => ({ label: `${HOOK_HEADER} with the value as meant (no newline)`, headers: [[HOOK_HEADER, hook.secrets.headerValue]] }) }],
  storedHeaderValue: pastedWithNewline,
  alter: async () => [check("the credential's value was saved with a trailing newline", true, 'POST /rest/credentials with data.value ending in \\n: 200')],
  remedies: [
    {
      name: "retype the credential's value without the newline",
      source: 'guide',
      apply: async (ctx, { hook }) => {
        const answer = await ctx.n8n.client.updateCredential(
          String(hook.credentialId),
          hookCredential('headerAuth', { name: HOOK_HEADER, value: hook.secrets.headerValue }),
        );
        return [check('n8n saved the retyped value', answer.status === 200, `PATCH /rest/credentials: ${answer.status}`)];
      },
      call: ({ hook }) => ({ label: `${HOOK_HEADER} with the same value`, headers: [[HOOK_HEADER, hook.secrets.headerValue]] }),
    },
  ],
});

const nameCase = headerCase({
  id: 'webhooks.header-auth-name-case',
  title: "a Header Auth header sent in another case than the credential's name is refused",
  guide: { section: 'not in the guide', claim: "Header Auth needs the header name in the credential's exact case", fix: HEADER_FIX },
  symptom: [
    {
      call: ({ hook }) => ({
        label: `${HOOK_HEADER.toLowerCase()} (lower case) with the right value`,
        headers: [[HOOK_HEADER.toLowerCase(), hook.secrets.headerValue]],
      }),
      proves: {
        what: `the header name went in lower case, the credential names ${HOOK_HEADER}`,
        test: (l) => (headerLine(l) ?? '').startsWith(`${HOOK_HEADER.toLowerCase()}:`),
      },
    },
  ],
});

/** A Basic Auth scenario: users expect 401 with a Basic challenge. */
function basicCase(c: Pick<HookCase, 'id' | 'title' | 'guide' | 'symptom' | 'refusalKeepsOut'>): AnyScenario {
  return hookScenario({
    predicts: { outcome: 'rejected', says: 'WWW-Authenticate: Basic' },
    auth: 'basicAuth',
    remedies: [sendRightAuth("send the credential's user and password (Authorization: Basic)")],
    ...c,
  });
}

const BASIC_FIX = 'send the user and password the credential holds';

const hasAuthorization = (l: string[]) => l.some((x) => /^authorization:/i.test(x));

const basicMissing = basicCase({
  id: 'webhooks.basic-auth-missing',
  refusalKeepsOut: 'a caller without credentials',
  title: 'a Basic Auth webhook called without credentials is refused with a Basic challenge',
  guide: { section: 'not in the guide', claim: 'a Basic Auth webhook called without credentials answers 401 with WWW-Authenticate: Basic', fix: BASIC_FIX },
  symptom: [{ call: () => ({ label: 'no Authorization header' }), proves: { what: 'the call carried no Authorization', test: (l) => !hasAuthorization(l) } }],
});

const basicWrong = basicCase({
  id: 'webhooks.basic-auth-wrong',
  refusalKeepsOut: 'a caller with a wrong password',
  title: 'a Basic Auth webhook called with a wrong password is refused with a Basic challenge',
  guide: { section: 'not in the guide', claim: 'wrong Basic Auth credentials answer 401 with WWW-Authenticate: Basic', fix: BASIC_FIX },
  symptom: [
    {
      call: ({ hook }) => ({
        label: 'Authorization: Basic with a wrong password',
        headers: [basicHeader(hook.secrets.user, wrongKeyOf(hook.secrets.password))],
      }),
      proves: { what: 'the call carried Authorization: Basic', test: (l) => l.some((x) => /^authorization: basic /i.test(x)) },
    },
  ],
});

export const headerBasicScenarios = [missing, wrongValue, trailingSpace, trailingNewline, storedNewline, nameCase, basicMissing, basicWrong];
