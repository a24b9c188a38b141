import type { Exchange } from '../../parts/client/exchange.ts';
import { defineScenario } from '../../core/define.ts';
import { check, n8nEnv } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { restartWithEnv } from '../proxy/support.ts';
import { connectionExchange, connectThroughBrowser, OAUTH_STACK, providerLog, registerPublicCallback, type ConnectSeen } from './oauth-flow.ts';
import { labUrl } from './support.ts';

const ID = 'browser.oauth-redirect-url-unset';
/** The env n8n builds its public URLs from; none is set on this stack. */
const URL_ENV = ['N8N_HOST', 'N8N_PROTOCOL', 'WEBHOOK_URL', 'N8N_EDITOR_BASE_URL'];

/** n8n's public URL behind NGINX, as users set it: `http://n8n.lab:<port>/`. */
const publicUrl = (ctx: ScenarioContext) => `${labUrl(ctx)}/`;

/** What each fix's flow must show: n8n sent the registered callback, and the credential got its tokens. */
interface State {
  registered: string;
  seen?: ConnectSeen;
}

/** A flow through the editor at the public URL; the exchanges shown, and the judged one last. */
async function connect(ctx: ScenarioContext, state: State, phase: string): Promise<Exchange[]> {
  const seen = await connectThroughBrowser(ctx, { editorBase: labUrl(ctx), scenarioId: ID, phase });
  state.seen = seen;
  return [...seen.shown, providerLog(seen), connectionExchange(seen)];
}

const redirectChecks = (state: State): Check[] => [
  check(
    'n8n sent the redirect_uri registered at the provider (its public callback)',
    state.seen?.sentRedirect === state.registered,
    `sent: ${state.seen?.sentRedirect ?? 'none'}`,
  ),
  check(
    'the provider granted a code and n8n exchanged it for tokens',
    (state.seen?.events ?? []).some((e) => e.kind === 'grant.success'),
    (state.seen?.events ?? []).map((e) => e.kind).join(', ') || 'nothing logged',
  ),
];

export const oauthRedirectUrlUnset = defineScenario<State>({
  id: ID,
  title:
    'behind a proxy without N8N_HOST, N8N_PROTOCOL, WEBHOOK_URL or N8N_EDITOR_BASE_URL, n8n sends http://localhost:5678 as the OAuth2 redirect_uri and the provider refuses it',
  guide: {
    section: 'not in the guide',
    claim:
      'users: "connecting an OAuth2 credential fails with redirect_uri mismatch" when n8n runs behind a reverse proxy under a public name: n8n builds its OAuth callback URL from its own host and port',
    fix: "set WEBHOOK_URL (or N8N_EDITOR_BASE_URL) to n8n's public URL and restart n8n; the provider's registered redirect URL is then what n8n sends",
  },
  predicts: { outcome: 'bad-request', says: 'redirect_uri' },
  stack: OAUTH_STACK,
  fault: async (ctx) => {
    const { registered, proof: registeredProof } = await registerPublicCallback(ctx);
    const proof: Check[] = [registeredProof];
    for (const name of URL_ENV) {
      const value = await n8nEnv(ctx, name);
      proof.push(check(`n8n runs without ${name}`, value === '', `printenv ${name} -> ${value || '(unset)'}`));
    }
    return { proof, state: { registered } };
  },
  symptom: async (ctx, state) => {
    const seen = await connectThroughBrowser(ctx, { editorBase: labUrl(ctx), scenarioId: ID, phase: 'symptom' });
    state.seen = seen;
    if (!seen.providerAnswer) throw new Error(`the browser never reached the provider's authorization endpoint (ended at ${seen.finalUrl})`);
    const judged = { ...seen.providerAnswer, label: `the provider's answer to the authorization request (redirect_uri=${seen.sentRedirect ?? 'none'})` };
    const shown = seen.shown.filter((e) => e.request.url !== judged.request.url);
    return [...shown, providerLog(seen), { ...connectionExchange(seen), context: true as const }, judged];
  },
  proveFromRequest: (symptom) => {
    const sent = new URL(symptom.at(-1)?.request.url ?? 'http://none/').searchParams.get('redirect_uri') ?? '';
    return [
      check(
        "the redirect_uri n8n sent is not its public callback: n8n's own host and port",
        /^http:\/\/localhost:5678\//.test(sent),
        `redirect_uri=${sent || 'none'}`,
      ),
    ];
  },
  remedies: [
    {
      name: "WEBHOOK_URL set to n8n's public URL (n8n restarted with it)",
      source: 'guide',
      apply: async (ctx) => restartWithEnv(ctx, { WEBHOOK_URL: publicUrl(ctx) }),
      probe: (ctx, state) => connect(ctx, state, 'fix-webhook-url'),
      verify: (_exchanges, state) => redirectChecks(state),
    },
    {
      name: "N8N_EDITOR_BASE_URL set to n8n's public URL instead (n8n restarted with it, WEBHOOK_URL unset)",
      source: 'tried',
      apply: async (ctx) => {
        ctx.progress('restarting n8n with N8N_EDITOR_BASE_URL, without WEBHOOK_URL');
        await ctx.stack.replacePrimary({ env: { N8N_EDITOR_BASE_URL: publicUrl(ctx) }, unset: ['WEBHOOK_URL'] });
        const [editor, webhook] = [await n8nEnv(ctx, 'N8N_EDITOR_BASE_URL'), await n8nEnv(ctx, 'WEBHOOK_URL')];
        return [
          check(`n8n runs with N8N_EDITOR_BASE_URL=${publicUrl(ctx)}`, editor === publicUrl(ctx), `printenv N8N_EDITOR_BASE_URL -> ${editor}`),
          check('n8n runs without WEBHOOK_URL', webhook === '', `printenv WEBHOOK_URL -> ${webhook || '(unset)'}`),
        ];
      },
      probe: (ctx, state) => connect(ctx, state, 'fix-editor-base-url'),
      verify: (_exchanges, state) => redirectChecks(state),
    },
  ],
  doctorBlind: "the redirect URL is n8n's own configuration seen by the OAuth provider; the doctor calls n8n's API with a key",
});
