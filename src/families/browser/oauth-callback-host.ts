import type { Exchange } from '../../parts/client/exchange.ts';
import { defineScenario } from '../../core/define.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { restartWithEnv } from '../proxy/support.ts';
import { CALLBACK_PATH, connectionExchange, connectThroughBrowser, OAUTH_STACK, providerLog, registerPublicCallback, type ConnectSeen } from './oauth-flow.ts';
import { labUrl, localhostUrl } from './support.ts';

const ID = 'browser.oauth-callback-other-host';

/** The last flow, for the fix's checks. */
interface State {
  callbackHost: string;
  seen?: ConnectSeen;
}

/** A flow with the editor opened at `editorBase`; the exchanges shown, the judged one (connected or not) last. */
async function connect(ctx: ScenarioContext, state: State, editorBase: string, phase: string): Promise<Exchange[]> {
  const seen = await connectThroughBrowser(ctx, { editorBase, scenarioId: ID, phase });
  state.seen = seen;
  return [...seen.shown, providerLog(seen), connectionExchange(seen)];
}

const callbackReached = (state: State): Check =>
  check(
    `the browser came back to n8n's callback on ${state.callbackHost}`,
    state.seen?.callback !== undefined && new URL(state.seen.callback.request.url).host === state.callbackHost,
    state.seen?.callback
      ? `${state.seen.callback.request.url.split('?')[0]}: ${state.seen.callback.response?.status}`
      : `the flow ended at ${state.seen?.finalUrl}`,
  );

export const oauthCallbackOtherHost = defineScenario<State>({
  id: ID,
  title: "an OAuth2 callback that reaches n8n on another host than the editor's comes without the editor's session cookie",
  guide: {
    section: 'not in the guide',
    claim:
      'users: "the OAuth2 callback says Unauthorized" when the editor is open on one address (an internal name or IP) and n8n\'s public URL, where the provider sends the browser back, is another: the browser has no n8n session cookie there',
    fix: "open the editor on n8n's public URL (the callback's host) and connect again",
  },
  predicts: { outcome: 'rejected', says: 'Unauthorized' },
  stack: OAUTH_STACK,
  fault: async (ctx) => {
    const publicUrl = `${labUrl(ctx)}/`;
    const proof = await restartWithEnv(ctx, { N8N_EDITOR_BASE_URL: publicUrl });
    proof.push((await registerPublicCallback(ctx)).proof);
    proof.push(
      check(
        "the editor is opened on another host than n8n's public URL",
        new URL(localhostUrl(ctx)).host !== new URL(publicUrl).host,
        `${localhostUrl(ctx)} vs ${publicUrl}`,
      ),
    );
    return { proof, state: { callbackHost: new URL(publicUrl).host } };
  },
  symptom: async (ctx, state) => connect(ctx, state, localhostUrl(ctx), 'symptom'),
  proveFromRequest: (symptom) => {
    const callback = symptom.find((e) => e.request.url.includes(CALLBACK_PATH));
    const editor = symptom.find((e) => e.request.url.includes('/rest/oauth2-credential/auth'));
    const cookies = callback?.request.headers.find(([k]) => k === 'cookie')?.[1] ?? '(none)';
    const hosts = [callback, editor].map((e) => (e ? new URL(e.request.url).host : 'none'));
    return [
      check(
        "the callback reached n8n on another host than the editor's",
        callback !== undefined && hosts[0] !== hosts[1],
        `callback on ${hosts[0]}, editor on ${hosts[1]}`,
      ),
      check('the browser sent the callback no n8n-auth session cookie', !/\bn8n-auth\b/.test(cookies), `cookies sent with the callback: ${cookies}`),
    ];
  },
  remedies: [
    {
      name: "open the editor on n8n's public URL (the callback's host) and connect again",
      source: 'guide',
      probe: (ctx, state) => connect(ctx, state, labUrl(ctx), 'fix-editor-on-public-url'),
      verify: (_exchanges, state) => [callbackReached(state)],
    },
  ],
  doctorBlind: "the fault is which host the browser opened the editor on; the doctor calls n8n's API with a key",
});
