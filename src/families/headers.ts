import { randomBytes } from 'node:crypto';
import type { Exchange } from '../parts/client/exchange.ts';
import { rawRequest } from '../parts/client/raw-http.ts';
import { registerSecret } from '../base/secrets.ts';
import { keyCharactersOf } from '../parts/inspect/key-inspector.ts';
import { API_KEY_HEADER, n8nEnv, send, sendKeyRemedy, wireHasKeyHeader, wireShows, wrongKeyOf, type Sender } from '../core/probes.ts';
import { defineScenario } from '../core/define.ts';
import { defineFamily } from '../core/family.ts';
import type { AnyScenario, DoctorExpectation, Remedy, ScenarioContext, ScenarioInfo } from '../core/types.ts';
import { DEFAULT_STACK, TWO_INSTANCES } from './stacks.ts';

const key = (ctx: ScenarioContext) => ctx.n8n.apiKey.rawApiKey;
const JUDGED_SENDERS: Sender[] = ['raw-socket', 'curl'];

/** A wrong request: defineScenario's fields (its id written in full, `headers.query-string`), and the request and its proof. */
type WrongRequest = Omit<ScenarioInfo, 'predicts' | 'stack' | 'proveFromRequest' | 'doctor'> & {
  /** The headers the user sends, and the path (with query) they call. */
  request: (ctx: ScenarioContext) => { headers: Array<[string, string]>; path?: string };
  /** What the wire must show for the fault to count as applied. */
  proof: { what: string; test: (wire: string) => boolean };
  /** Where the fault is in the key the user holds, the doctor sees it; otherwise it is the request's form. */
  doctor?: DoctorExpectation;
};

/** Faults in the form of the request, which a doctor probing with a correct request cannot see. */
export const CLIENT_REQUEST_BLIND = "the fault is in the client's request (the header's name or the key's place); the doctor sends a correct one";

/** A request that is wrong in its form (no header, another name, the query string): n8n should say 401. */
function wrongRequest({ request, proof, doctor, ...info }: WrongRequest): AnyScenario {
  return defineScenario({
    ...info,
    predicts: { outcome: 'rejected' },
    stack: DEFAULT_STACK,
    symptom: async (ctx) => {
      const { headers, path } = request(ctx);
      return [await send(ctx, info.title, headers, { path })];
    },
    proveFromRequest: ([e]) => [wireShows(proof.what, e!, proof.test)],
    remedies: [sendKeyRemedy(info.guide.fix, 'guide')],
    ...(doctor ? { doctor } : { doctorBlind: CLIENT_REQUEST_BLIND }),
  });
}

const wrongRequests: AnyScenario[] = [
  wrongRequest({
    id: 'headers.missing-header',
    refusalKeepsOut: 'a client without a key',
    title: 'a request without the X-N8N-API-KEY header is refused with 401',
    guide: { section: '1', claim: "Missing header: req.headers['x-n8n-api-key'] is undefined", fix: 'send the key in the x-n8n-api-key header' },
    request: () => ({ headers: [] }),
    proof: { what: 'no X-N8N-API-KEY header on the wire', test: (w) => !wireHasKeyHeader(w) },
  }),
  wrongRequest({
    id: 'headers.wrong-header-name',
    title: 'the key under another header name (api-key) is refused with 401',
    guide: { section: '1', claim: 'Wrong header name: header key does not match x-n8n-api-key (e.g., api-key)', fix: 'rename the header to x-n8n-api-key' },
    request: (ctx) => ({ headers: [['api-key', key(ctx)]] }),
    proof: { what: 'the key travels as api-key, not X-N8N-API-KEY', test: (w) => /\\r\\napi-key: /.test(w) && !wireHasKeyHeader(w) },
  }),
  wrongRequest({
    id: 'headers.authorization-bearer',
    title: 'the key as Authorization: Bearer is refused with 401',
    guide: { section: '3.1', claim: 'Using Authorization: Bearer <key> gives a 401 error', fix: 'switch to x-n8n-api-key' },
    request: (ctx) => ({ headers: [['Authorization', `Bearer ${key(ctx)}`]] }),
    proof: { what: 'the key travels as Authorization: Bearer', test: (w) => /\\r\\nAuthorization: Bearer /.test(w) && !wireHasKeyHeader(w) },
  }),
  wrongRequest({
    id: 'headers.query-string',
    title: 'the key in the query string (?api_key=) is refused with 401',
    guide: {
      section: '3.1',
      claim: 'Sending key in query string (?api_key=) gives a 401 error; n8n only reads the header',
      fix: 'move the key from the query string to the header',
    },
    request: (ctx) => ({ headers: [], path: `/api/v1/workflows?api_key=${encodeURIComponent(key(ctx))}` }),
    proof: { what: 'the key travels in the query string only', test: (w) => /\?api_key=/.test(w) && !wireHasKeyHeader(w) },
  }),
  wrongRequest({
    id: 'headers.wrong-value',
    refusalKeepsOut: 'a client with a wrong key',
    title: 'a key with one character changed is refused with 401',
    guide: { section: '1', claim: 'Incorrect key value: the header value does not match the stored key', fix: 'copy the key verbatim from Settings > API' },
    request: (ctx) => ({ headers: [[API_KEY_HEADER, wrongKeyOf(key(ctx))]] }),
    proof: { what: 'the header carries a value that differs from the issued key', test: (w) => wireHasKeyHeader(w) },
    doctor: { names: 'key-not-issued-here', input: (ctx, phase) => (phase === 'broken' ? { key: wrongKeyOf(key(ctx)) } : {}) },
  }),
];

const headerNameCase = defineScenario({
  id: 'headers.header-name-case',
  title: 'the header name is case-insensitive (X-N8N-API-KEY, x-n8n-api-key, X-n8n-Api-Key all work)',
  guide: { section: 'Quick fix', claim: 'the request header is spelled x-n8n-api-key (case-insensitive)', fix: '' },
  predicts: { outcome: 'accepted' },
  stack: DEFAULT_STACK,
  symptom: async (ctx) => {
    const out: Exchange[] = [];
    for (const name of ['X-N8N-API-KEY', 'x-n8n-api-key', 'X-n8n-Api-Key']) out.push(await send(ctx, `header spelled ${name}`, [[name, key(ctx)]]));
    return out;
  },
  proveFromRequest: (symptom) =>
    symptom.map((e) =>
      wireShows(`the wire spells the name ${e.label.replace('header spelled ', '')}`, e, (w) =>
        w.includes(`\\r\\n${e.label.replace('header spelled ', '')}: `),
      ),
    ),
  remedies: [],
  doctorBlind: 'nothing is broken: every spelling of the name works',
});

/** A damaged key: defineScenario's fields (its id written in full, `headers.nbsp`), and the damage and how the wire shows it. */
type HiddenCharacter = Omit<ScenarioInfo, 'predicts' | 'stack' | 'proveFromRequest'> & {
  /** The key as the user's clipboard or file delivers it. */
  damage: (key: string) => string;
  /** How the damage looks in escaped wire bytes. */
  wireMark: string;
};

/**
 * The guide's fix for stray characters is `.trim()` (section 3.2, checklist step 3). JavaScript's
 * trim removes spaces, line breaks and NBSP but not a zero-width space; the correct fix removes
 * everything that cannot be part of a key.
 */
const guideTrim = (s: string) => s.trim();

const TRIM_FIX = 'trim the value (.trim() in code, sed or tr in a shell)';

function hiddenCharacter({ damage, wireMark, ...info }: HiddenCharacter): AnyScenario {
  const damaged = (ctx: ScenarioContext) => damage(key(ctx));
  const remedy = (name: string, source: Remedy['source'], clean: (s: string) => string): Remedy => ({
    name,
    source,
    probe: async (ctx) => [await send(ctx, `${info.title}, after: ${name}`, [[API_KEY_HEADER, clean(damaged(ctx))]])],
  });
  return defineScenario({
    ...info,
    predicts: { outcome: 'rejected' },
    stack: DEFAULT_STACK,
    symptom: async (ctx) => {
      const out: Exchange[] = [];
      for (const via of JUDGED_SENDERS) out.push(await send(ctx, `${info.title} (${via})`, [[API_KEY_HEADER, damaged(ctx)]], { via }));
      return out;
    },
    proveFromRequest: (symptom) => {
      const raw = symptom.find((e) => e.via === 'raw-socket')!;
      return [wireShows(`the header value on the wire ends with ${wireMark}`, raw, (w) => /\\r\\nX-N8N-API-KEY: /.test(w) && w.includes(`${wireMark}\\r\\n`))];
    },
    alongside: async (ctx) => [await send(ctx, `${info.title} (Node's fetch)`, [[API_KEY_HEADER, damaged(ctx)]], { via: 'node-fetch' })],
    remedies: [remedy("the guide's .trim()", 'guide', guideTrim), remedy('strip every character that cannot be part of a key', 'correct', keyCharactersOf)],
    doctor: { names: 'key-stray-characters', input: (ctx, phase) => ({ key: phase === 'broken' ? damaged(ctx) : key(ctx) }) },
  });
}

const hiddenCharacters: AnyScenario[] = [
  hiddenCharacter({
    id: 'headers.surrounding-spaces',
    title: 'leading and trailing spaces in the value break the key',
    guide: { section: '1', claim: 'Trailing/leading whitespace: no String.trim() before comparison, so the key is not recognized', fix: TRIM_FIX },
    damage: (k) => `  ${k}  `,
    wireMark: '  ',
  }),
  hiddenCharacter({
    id: 'headers.trailing-newline',
    title: 'a trailing line break in the value breaks the key',
    guide: { section: 'Quick fix', claim: 'the header must contain no extra spaces or line-breaks', fix: TRIM_FIX },
    damage: (k) => `${k}\n`,
    wireMark: '\\n',
  }),
  hiddenCharacter({
    id: 'headers.zero-width-space',
    title: 'a zero-width space pasted with the key breaks it',
    guide: { section: '4', claim: 'stray invisible characters in the value are not trimmed by n8n, so the key is not recognized', fix: TRIM_FIX },
    damage: (k) => `${k}\u200b`,
    wireMark: '\\xe2\\x80\\x8b',
  }),
  hiddenCharacter({
    id: 'headers.nbsp',
    title: 'a non-breaking space pasted with the key breaks it',
    guide: { section: '4', claim: 'stray invisible characters in the value are not trimmed by n8n, so the key is not recognized', fix: TRIM_FIX },
    damage: (k) => `${k}\u00a0`,
    wireMark: '\\xc2\\xa0',
  }),
];

const otherInstanceKey = defineScenario({
  id: 'headers.key-from-another-instance',
  refusalKeepsOut: 'a key another n8n instance signed',
  title: 'a valid key from another n8n instance is refused with 401',
  guide: {
    section: '1',
    claim: 'Incorrect key value: the header value does not match a key of this instance',
    fix: "use a key created on this instance's Settings > API",
  },
  predicts: { outcome: 'rejected' },
  stack: TWO_INSTANCES,
  fault: async (ctx) => {
    const other = ctx.stack.instances[1]!;
    const url = `${other.container.getBaseUrl()}/api/v1/workflows`;
    const home = await rawRequest({ label: 'the other instance key on its own instance', url, headers: [[API_KEY_HEADER, other.apiKey.rawApiKey]] });
    return {
      proof: [
        {
          what: 'the key is valid on the instance that issued it',
          ok: home.outcome === 'accepted',
          evidence: `${home.response?.status ?? home.error} from ${other.container.getInternalUrl()}`,
        },
      ],
    };
  },
  symptom: async (ctx) => [await send(ctx, 'the other instance key sent to this instance', [[API_KEY_HEADER, ctx.stack.instances[1]!.apiKey.rawApiKey]])],
  remedies: [sendKeyRemedy("use this instance's own key", 'guide')],
  doctor: { names: 'key-not-issued-here', input: (ctx, phase) => (phase === 'broken' ? { key: ctx.stack.instances[1]!.apiKey.rawApiKey } : {}) },
});

/** A value made the way the guide's section 2 makes one (`openssl rand -hex 32`). */
const GUIDE_ENV_KEY = registerSecret(randomBytes(32).toString('hex'), 'api-key');

const n8nApiKeyEnv = defineScenario({
  id: 'headers.n8n-api-key-env',
  title: 'n8n compares the header with the N8N_API_KEY environment variable',
  guide: {
    section: '1',
    claim: 'Incorrect key value: header value differs from process.env.N8N_API_KEY (set in .env, section 2)',
    fix: 'put the value of N8N_API_KEY in the header',
  },
  predicts: { outcome: 'accepted' },
  stack: { name: 'n8n-api-key-env', env: { N8N_API_KEY: GUIDE_ENV_KEY }, metrics: true },
  fault: async (ctx) => {
    const value = await n8nEnv(ctx, 'N8N_API_KEY');
    return { proof: [{ what: "N8N_API_KEY is set in n8n's environment", ok: value === GUIDE_ENV_KEY, evidence: `printenv N8N_API_KEY -> ${value}` }] };
  },
  symptom: async (ctx) => [await send(ctx, 'the value of N8N_API_KEY in X-N8N-API-KEY', [[API_KEY_HEADER, GUIDE_ENV_KEY]])],
  remedies: [sendKeyRemedy('use a key created in Settings > API (keys are per-user rows in the database)', 'correct')],
  doctor: { names: 'not-an-n8n-key', input: (_ctx, phase) => (phase === 'broken' ? { key: GUIDE_ENV_KEY } : {}) },
});

export const headersFamily = defineFamily('headers', 'Headers and key values', [
  ...wrongRequests,
  headerNameCase,
  ...hiddenCharacters,
  otherInstanceKey,
  n8nApiKeyEnv,
]);
