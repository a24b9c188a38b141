import { wrongKeyOf } from '../../core/probes.ts';
import { check } from '../../core/probes.ts';
import { hookScenario, type HookCase, type HookProbe, sendRightAuth } from './factory.ts';
import { basicHeader, HOOK_HEADER, hookCredential } from './hooks.ts';

/** A Header Auth scenario: the caller's header as given, refused (users believe) with 401; fixed by the header as the credential says. */
function headerCase(name: string, title: string, claim: string, probe: HookProbe, extra: Partial<HookCase> = {}) {
  return hookScenario({
    name: `header-auth-${name}`,
    title,
    claim,
    fix: 'send the header the credential names, with its exact value',
    predicts: { outcome: 'rejected' },
    auth: 'headerAuth',
    symptom: [probe],
    remedies: [sendRightAuth(`send ${HOOK_HEADER} with the credential's value`)],
    ...extra,
  });
}

const headerLine = (lines: string[]) => lines.find((l) => l.toLowerCase().startsWith(`${HOOK_HEADER.toLowerCase()}:`));

const missing = headerCase(
  'missing',
  'a Header Auth webhook called without its header is refused',
  'a Header Auth webhook called without its header answers 401 Unauthorized',
  { call: () => ({ label: `no ${HOOK_HEADER} header` }), proves: { what: `the call carried no ${HOOK_HEADER}`, test: (l) => headerLine(l) === undefined } },
);

const wrongValue = headerCase(
  'wrong-value',
  'a Header Auth webhook called with a wrong value is refused',
  'a wrong Header Auth value answers 401 Unauthorized',
  {
    call: ({ hook }) => ({ label: `${HOOK_HEADER} with a wrong value`, headers: [[HOOK_HEADER, wrongKeyOf(hook.secrets.headerValue)]] }),
    proves: { what: `the call carried ${HOOK_HEADER}`, test: (l) => headerLine(l) !== undefined },
  },
);

const trailingSpace = headerCase(
  'trailing-space',
  'a trailing space after the Header Auth value makes n8n refuse the call',
  'a trailing space after the Header Auth value gets 401: n8n compares the value exactly',
  {
    call: ({ hook }) => ({ label: `${HOOK_HEADER}: the value and a trailing space`, headers: [[HOOK_HEADER, `${hook.secrets.headerValue} `]] }),
    proves: { what: 'the value went on the wire with a trailing space', test: (l) => / $/.test(headerLine(l) ?? '') },
  },
);

const trailingNewline = headerCase(
  'trailing-newline',
  'a trailing newline after the Header Auth value makes n8n refuse the call',
  'a Header Auth value sent with a trailing newline (a pasted line break) gets 401',
  {
    call: ({ hook }) => ({ label: `${HOOK_HEADER}: the value and a trailing \\n`, headers: [[HOOK_HEADER, `${hook.secrets.headerValue}\n`]] }),
    proves: { what: 'the value went on the wire followed by a bare \\n', test: (l) => /\\n$/.test(headerLine(l) ?? '') },
  },
);

/** A value pasted into the credential with the line break after it. */
export const pastedWithNewline = (value: string): string => `${value}\n`;

const storedNewline = headerCase(
  'credential-trailing-newline',
  'a Header Auth credential saved with a trailing newline refuses the right value',
  "a Header Auth credential whose value was pasted with a trailing newline refuses the caller's exact value",
  { call: ({ hook }) => ({ label: `${HOOK_HEADER} with the value as meant (no newline)`, headers: [[HOOK_HEADER, hook.secrets.headerValue]] }) },
  {
    storedHeaderValue: pastedWithNewline,
    alter: async () => [check("the credential's value was saved with a trailing newline", true, 'POST /rest/credentials with data.value ending in \\n: 200')],
    fix: "retype the value in the Webhook's credential",
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
  },
);

const nameCase = headerCase(
  'name-case',
  "a Header Auth header sent in another case than the credential's name is refused",
  "Header Auth needs the header name in the credential's exact case",
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
);

/** A Basic Auth scenario: users expect 401 with a Basic challenge. */
function basicCase(name: string, title: string, claim: string, probe: HookProbe) {
  return hookScenario({
    name: `basic-auth-${name}`,
    title,
    claim,
    fix: 'send the user and password the credential holds',
    predicts: { outcome: 'rejected', says: 'WWW-Authenticate: Basic' },
    auth: 'basicAuth',
    symptom: [probe],
    remedies: [sendRightAuth("send the credential's user and password (Authorization: Basic)")],
  });
}

const hasAuthorization = (l: string[]) => l.some((x) => /^authorization:/i.test(x));

const basicMissing = basicCase(
  'missing',
  'a Basic Auth webhook called without credentials is refused with a Basic challenge',
  'a Basic Auth webhook called without credentials answers 401 with WWW-Authenticate: Basic',
  { call: () => ({ label: 'no Authorization header' }), proves: { what: 'the call carried no Authorization', test: (l) => !hasAuthorization(l) } },
);

const basicWrong = basicCase(
  'wrong',
  'a Basic Auth webhook called with a wrong password is refused with a Basic challenge',
  'wrong Basic Auth credentials answer 401 with WWW-Authenticate: Basic',
  {
    call: ({ hook }) => ({ label: 'Authorization: Basic with a wrong password', headers: [basicHeader(hook.secrets.user, wrongKeyOf(hook.secrets.password))] }),
    proves: { what: 'the call carried Authorization: Basic', test: (l) => l.some((x) => /^authorization: basic /i.test(x)) },
  },
);

export const headerBasicScenarios = [missing, wrongValue, trailingSpace, trailingNewline, storedNewline, nameCase, basicMissing, basicWrong];
