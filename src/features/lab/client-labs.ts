import type { BrokenScenario, ScenarioContext } from '../../core/types.ts';
import type { TriggerState } from '../../families/forms/factory.ts';
import { CHAT_MESSAGE } from '../../families/forms/triggers.ts';
import { clientContainerOf, fetchFromContainer, straightToN8n } from './client-requests.ts';
import type { Entry, HintNames, LabBase } from './lab-def.ts';

/**
 * The labs of the allowlist, forms and mfa families: a webhook's IP allowlist behind proxies (the
 * fault in n8n's environment, the symptom a call from a client with an address of its own on the
 * stack network), a form or chat visitor's Basic Auth (what the visitor sends, in a file), a
 * member's two-factor sign-in (n8n's clock; the code typed).
 */

const ALLOWLIST_NO_EXPORT =
  'the symptom is a call from a client with an address of its own on the stack network, to a webhook whose allowlist names that address, known only once the stack runs; an export would have the learner find the addresses and build the workflow by hand, and its check is not written yet';
const VISITOR_NO_EXPORT =
  'the fault is what the visitor sends: in an export the learner would write the Authorization themselves, so they would make the fault with their own hands; only the running lab hands them a visitor already given it';
const SIGN_IN_NO_EXPORT =
  "the symptom is a person's two-factor sign-in: an export's learner would enable two-factor login with an authenticator app of their own and type its codes, which the compose suite cannot do for them; not written yet";

/** Where to look first when a client on the list is refused: the same call with no proxy between. */
const refusedWhere = (s: HintNames) =>
  `Call the same webhook from the same client straight to n8n, no proxy between: ${fetchFromContainer(clientContainerOf('listed', s), straightToN8n(s.workflowUrl))}. Let in straight, refused through the proxy? Then ask which address n8n judges a request by when a proxy passes it on.`;

/** The doctor from this machine: a second webhook of the same workflow lists it, reached through the same proxy. */
const refusedDoctor = (s: HintNames) =>
  `Ask the doctor from this machine, which a second webhook of the same workflow lists (as n8n sees it when it calls n8n straight), called through the same proxy: authlab doctor --url ${s.n8nUrl} --webhook-url ${s.doctorWebhookUrl}`;

/** A webhook lab whose listed client is refused: n8n's environment is what the learner edits. */
const refusedLab: Entry = (s) => ({
  ...s,
  lab: {
    kind: 'env',
    symptom: { webhookFrom: { client: 'listed' } },
    hintWhere: refusedWhere,
    hintDoctor: refusedDoctor,
    composeRefused: ALLOWLIST_NO_EXPORT,
  },
});

/** The credential's user and password as its owner keeps them: the visitor's right values. */
const ownersCredentials: LabBase['given'] = {
  file: 'credential-user-password',
  what: "the user and password the trigger's Basic Auth credential was saved with, as its owner keeps them (user:password; n8n's editor never shows a saved password)",
  value: (_ctx, broken) => {
    const { trigger } = broken.state as TriggerState;
    return `${trigger.user}:${trigger.password}`;
  },
};

/** The trigger's workflow the fault deployed, deleted: the fault deploys it again on the same path. */
async function removeTrigger(ctx: ScenarioContext, broken: BrokenScenario): Promise<void> {
  const { trigger } = broken.state as TriggerState;
  const answer = await ctx.n8n.client.publicApi('DELETE', `/workflows/${trigger.workflowId}`, ctx.n8n.apiKey.rawApiKey);
  if (answer.status !== 200)
    throw new Error(`deleting the trigger's workflow ${trigger.workflowId} before the reset: ${answer.status} ${answer.text.slice(0, 120)}`);
}

/** A form or chat visitor's lab: the visitor's Authorization in a file, the owner's values handed. */
const visitorLab =
  (trigger: 'form' | 'chat', where: (s: HintNames) => string): Entry =>
  (s) => ({
    ...s,
    lab: {
      kind: 'client',
      symptom: { trigger },
      given: ownersCredentials,
      beforeReset: removeTrigger,
      hintWhere: where,
      hintDoctor: (st) =>
        `Ask the doctor, handing it the visit as the visitor makes it: authlab doctor --webhook-url ${st.workflowUrl}${trigger === 'chat' ? ' --webhook-method POST' : ''} --webhook-header "Authorization: $(cat ${st.tokenFile})"`,
      hintRunning: (_n8n, st) =>
        `what the visitor sends (an Authorization of the Basic scheme is base64 of user:password: cut -d' ' -f2 ${st.tokenFile} | base64 -d; echo) against what the trigger's credential was saved with (${st.givenFile})`,
      composeRefused: VISITOR_NO_EXPORT,
    },
  });

/** Where to look first at a refused sign-in: the password alone tells a refused password from a refused code. */
const signInWhere = (then: string) => () =>
  `Sign in as printed and read n8n's answer; then once more without the code (drop "mfaCode" from the body): n8n answers a right password with "MFA Error" (998), it wants the code. So it is the code n8n refuses: ${then}`;

export const CLIENT_LABS: Record<string, Entry> = {
  'allowlist.nginx-no-proxy-hops': refusedLab,
  'allowlist.traefik-no-proxy-hops': refusedLab,
  'allowlist.two-nginx-one-hop': refusedLab,
  'allowlist.nginx-hops-exceed-proxies': (s) => ({
    ...s,
    lab: {
      kind: 'env',
      symptom: { webhookFrom: { client: 'other', forged: true } },
      hintWhere: (st) =>
        `A client whose address is not on the list gets in. Send its call again without the X-Forwarded-For header (${fetchFromContainer(clientContainerOf('other', st), st.workflowUrl ?? '<webhook URL>')}), and read the answer of the one let in: the webhook echoes the headers n8n received. Whose address does n8n judge, and which entry of that header does it take it from?`,
      composeRefused: ALLOWLIST_NO_EXPORT,
    },
  }),
  'forms.form-basic-auth-wrong': visitorLab(
    'form',
    (st) =>
      `Read the whole answer (the command prints the status line and headers), then visit with no Authorization at all (curl -si ${st.workflowUrl}): can you tell the two apart? The form says nothing about why; what the visitor sends does.`,
  ),
  'forms.chat-basic-auth-wrong': visitorLab(
    'chat',
    (st) =>
      `Send the same message with no Authorization (curl -s -H 'Content-Type: application/json' -d '${JSON.stringify(CHAT_MESSAGE)}' ${st.workflowUrl}): 401 there, 403 with it. n8n read the visitor's credentials and did not take them: what do they say?`,
  ),
  'mfa.server-clock-skewed': (s) => ({
    ...s,
    lab: {
      kind: 'clock',
      symptom: { signIn: 'authenticator' },
      hintWhere: signInWhere(
        "the member's authenticator shows it (the file is renewed as an app shows codes): what besides the secret goes into a TOTP code, and who judges it?",
      ),
      hintDoctor: (st) =>
        `The doctor cannot see this one from outside (a person's sign-in to the editor; it probes API keys, webhooks and MCP tokens). Look at n8n's side instead: how its container runs (docker inspect ${st.n8nContainer}: its environment and what it loads) and its log at the sign-in (docker logs ${st.n8nContainer}). Is anything there unlike your own machine?`,
      hintRunning: (n8n) =>
        `n8n's clock against yours (docker exec ${n8n} date -u; date -u): a TOTP code is made from the secret and the time in steps of 30 s, and n8n accepts two steps either side of its own clock`,
      composeRefused: SIGN_IN_NO_EXPORT,
    },
  }),
  'mfa.wrong-code': (s) => ({
    ...s,
    lab: {
      kind: 'client',
      symptom: { signIn: 'typed' },
      hintWhere: signInWhere('which code did the sign-in send, and which does the member have?'),
      hintRunning: (_n8n, st) =>
        `the code the sign-in sends (cat ${st.member?.codeFile}) against what the member's authenticator shows now (cat ${st.member?.authenticatorFile}; a new code every 30 s, n8n takes a code for about a minute after)`,
      composeRefused: SIGN_IN_NO_EXPORT,
    },
  }),
};
