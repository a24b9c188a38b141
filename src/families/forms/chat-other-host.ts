import { defineScenario } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check } from '../../core/probes.ts';
import { nginxSite } from '../../parts/proxy/site-config.ts';
import { BROWSER_STACK, nginxOf } from '../browser/support.ts';
import { applySite } from '../proxy/live-site.ts';
import { restartWithEnv } from '../proxy/support.ts';
import { signedInChat } from './chat-browser.ts';
import { triggerProof } from './factory.ts';
import { deployTrigger } from './triggers.ts';

const ID = 'forms.chat-user-auth-other-host';

/** The two hosts (NGINX's published port, whose number survives n8n's restarts), and the chat as n8n gives its URL. */
interface State {
  /** Where the user opens n8n's editor: http://localhost:<port>. */
  editorBase: string;
  /** WEBHOOK_URL's host: http://127.0.0.1:<port>, a secure context like localhost and another host for the browser's cookies. */
  chatBase: string;
  /** The chat's URL on WEBHOOK_URL, as the Chat Trigger shows it. */
  chatUrl: string;
}

export const chatUserAuthOtherHost = defineScenario<State>({
  id: ID,
  title:
    "a public chat with n8n User Auth, on WEBHOOK_URL's host and not the editor's, does not get the user's n8n session: the chat sends them to sign in again",
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      'users: a hosted chat with n8n User Auth served from WEBHOOK_URL on another host than the editor loses the n8n-auth cookie the editor set: its message is refused 401 "User not authenticated!"',
    fix: "serve the editor and the chat from one host: sign in to n8n on the host of the chat's URL (WEBHOOK_URL's), then open the chat",
  },
  predicts: { outcome: 'rejected', says: 'User not authenticated!' },
  stack: BROWSER_STACK,
  fault: async (ctx) => {
    const port = new URL(nginxOf(ctx).getBaseUrl()).port;
    const [editorBase, chatBase] = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
    const proof = await applySite(ctx, nginxSite('guide-example'), [{ what: 'no TLS', test: /\bssl\b/, absent: true }]);
    proof.push(...(await restartWithEnv(ctx, { WEBHOOK_URL: `${chatBase}/` })));
    const trigger = await deployTrigger(ctx, { kind: 'chat', auth: 'n8nUserAuth', path: 'authlab-chat-user-auth-other-host' });
    proof.push(...(await triggerProof(ctx, trigger)));
    const chatUrl = `${chatBase}${new URL(trigger.url).pathname}`;
    proof.push(
      check(
        "the chat's URL (WEBHOOK_URL's host) is on another host than the editor's",
        new URL(chatUrl).hostname !== new URL(editorBase).hostname,
        `editor ${editorBase}, chat ${chatUrl}`,
      ),
    );
    return { proof, state: { editorBase, chatBase, chatUrl } };
  },
  symptom: (ctx, s) => signedInChat(ctx, { editorBase: s.editorBase, chatUrl: s.chatUrl, scenarioId: ID, phase: 'symptom', direct: true }),
  remedies: [
    {
      name: "sign in to n8n on the chat's host (WEBHOOK_URL's: editor and chat on one host), then open the chat",
      source: 'guide',
      probe: (ctx, s) => signedInChat(ctx, { editorBase: s.chatBase, chatUrl: s.chatUrl, scenarioId: ID, phase: 'fix-same-host' }),
    },
  ],
  doctorBlind:
    "the fault is the host the visitor's browser holds its n8n session for: the doctor, handed the chat's URL, sees a message without a cookie as from a visitor not signed in at all",
});
