import type { Exchange } from '../../parts/client/exchange.ts';
import { defineScenario, required } from '../../core/define.ts';
import { check, send, sendKey } from '../../core/probes.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { AUTH_COOKIE, keptCookies, pageShown, signInThroughEditor } from './editor.ts';
import { BROWSER_STACK, localhostUrl } from './support.ts';

const ID = 'browser.browser-id-reuse';
const REST_PATH = '/rest/workflows';

/** The browser's session as a script would copy it: the cookie, and the browser-id header the editor sent with it. */
interface State {
  cookie: string;
  browserId: string;
  /** What the browser did while signing in, shown beside the symptom. */
  signIn: Exchange[];
}

const withCookie = (state: State, browserId?: string): Array<[string, string]> => [
  ['Cookie', `${AUTH_COOKIE}=${state.cookie}`],
  ...(browserId ? ([['browser-id', browserId]] as Array<[string, string]>) : []),
];

function scriptCall(ctx: ScenarioContext, state: State, label: string, browserId?: string): Promise<Exchange> {
  return send(ctx, label, withCookie(state, browserId), { path: REST_PATH });
}

export const browserIdReuse = defineScenario<State>({
  id: ID,
  refusalKeepsOut: "whoever copies a signed-in browser's n8n-auth cookie",
  title: "a script that reuses the browser's n8n-auth cookie without its browser-id header gets 401 on /rest",
  guide: {
    section: 'not in the guide',
    claim: 'users: "I copied the n8n-auth cookie from my browser into my script and /rest answers 401 Unauthorized"',
    fix: "scripts call the public API (/api/v1) with an API key; the editor's session is bound to the browser-id it signed in with",
  },
  predicts: { outcome: 'rejected', says: 'browserId check failed' },
  stack: BROWSER_STACK,
  fault: async (ctx) => {
    const seen = await signInThroughEditor(ctx, { base: localhostUrl(ctx), scenarioId: ID, phase: 'signed-in' });
    const cookie = seen.cookies.find((c) => c.name === AUTH_COOKIE)?.value;
    const inPage = seen.exchanges.at(-1);
    return {
      proof: [
        check(`the browser signed in on localhost and kept ${AUTH_COOKIE}`, cookie !== undefined, `cookies kept: ${keptCookies(seen)}`),
        check('the editor sent a browser-id header with its sign-in', seen.browserId !== undefined, `browser-id: ${seen.browserId ?? 'none'}`),
        check('the session works in the browser (GET /rest/login from the page)', inPage?.outcome === 'accepted', `${inPage?.response?.status ?? 'no answer'}`),
      ],
      state: {
        cookie: required(cookie, `the browser's ${AUTH_COOKIE} cookie`),
        browserId: required(seen.browserId, 'the browser-id the editor sent'),
        signIn: [pageShown(seen), ...seen.exchanges.map((e) => ({ ...e, context: true as const }))],
      },
    };
  },
  symptom: async (ctx, state) => [await scriptCall(ctx, state, `a script sends the browser's ${AUTH_COOKIE} cookie, no browser-id header (GET ${REST_PATH})`)],
  alongside: async (ctx, state) => [
    ...state.signIn,
    await scriptCall(ctx, state, `the same cookie with the browser-id header the editor sent (GET ${REST_PATH})`, state.browserId),
  ],
  remedies: [
    {
      name: 'the script calls the public API with an API key (GET /api/v1/workflows, X-N8N-API-KEY)',
      source: 'guide',
      probe: async (ctx) => [await sendKey(ctx)],
    },
    {
      name: 'the script also sends the browser-id header the browser signed in with',
      source: 'tried',
      probe: async (ctx, state) => [await scriptCall(ctx, state, `cookie and browser-id (GET ${REST_PATH})`, state.browserId)],
    },
  ],
  doctorBlind: "the fault lives in the script's request (a cookie without its browser-id); the doctor calls n8n with a key",
});
