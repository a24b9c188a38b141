import type { Exchange } from '../client/exchange.ts';

/**
 * The failure modes of a visitor refused by a Form Trigger's form or a public Chat Trigger's chat,
 * named from the trigger URL the doctor is handed (`--webhook-url`) and n8n's answer to it. Each is
 * proven by the forms family's scenarios on n8n 1.116.2 and 2.41.0 (form-sign-in-required on 2.41.0:
 * 1.116.2's Form Trigger has no n8n User Auth).
 */
export const FORM_CHAT_FAILURE_MODES = {
  'form-auth-refused': {
    title: "the form's Basic Auth refused the visitor",
    means:
      "n8n answers the form 401 with an empty body and WWW-Authenticate: Basic realm=\"Enter credentials\": no user and password, or wrong ones, for the Form Trigger's Basic Auth credential (a bot's User-Agent gets the same where the form ignores bots). Open it with the credential's user and password (the browser asks for them)",
  },
  'form-sign-in-required': {
    title: 'the form asks for an n8n sign-in',
    means:
      "the Form Trigger is set to n8n User Auth: a visitor with no n8n session is sent to sign in (a GET answers 302 to /signin or to n8n's own /oauth/authorize) and a submission without it answers an empty 401. Open the form in a browser signed in to this n8n; the redirect goes to n8n's editor URL (N8N_EDITOR_BASE_URL), which must be one the visitor reaches",
  },
  'chat-auth-refused': {
    title: "the chat's Basic Auth refused the message",
    means:
      'the public Chat Trigger answers 401 "Authorization is required!" (no Authorization header) or 403 "Authorization data is wrong!" (a wrong user or password): send the user and password of the trigger\'s Basic Auth credential',
  },
  'chat-user-not-signed-in': {
    title: 'the chat got no n8n session cookie',
    means:
      'the public Chat Trigger is set to n8n User Auth and the message carried no n8n-auth cookie: n8n answers "User not authenticated!" (2.x: 401; 1.x: 500). The visitor is not signed in to n8n, or the chat is served from another host than the editor (WEBHOOK_URL on another name): the browser keeps the editor\'s cookie for the editor\'s host. Sign in first, and serve the chat and the editor from the same host (or use Basic Auth for a chat on another host)',
  },
  'chat-session-invalid': {
    title: "the chat's n8n session cookie is not valid",
    means:
      'the public Chat Trigger is set to n8n User Auth and n8n refuses the n8n-auth cookie it got: 401 "Invalid authentication token" (a session signed out or expired, a cookie of another n8n instance). Sign in to this n8n again. n8n 1.x does not check the cookie at all: any n8n-auth value passes',
  },
} as const satisfies Record<string, { title: string; means: string }>;

export type FormChatModeId = keyof typeof FORM_CHAT_FAILURE_MODES;

/** Which trigger a URL is: a form (`/form/…`, `/form-test/…`, a v1 form's `…/n8n-form`), a hosted chat (`/webhook(-test)/<id>/chat`), or neither. */
export function triggerKindOf(url: string): 'form' | 'chat' | undefined {
  const path = new URL(url).pathname.replace(/\/+$/, '');
  if (/^(?:\/[^/]+)*\/form(?:-test)?\/[^/]/.test(path) || /\/n8n-form$/.test(path)) return 'form';
  if (/\/webhook(?:-test)?\/[^/]+\/chat$/.test(path)) return 'chat';
  return undefined;
}

const headerOf = (e: Exchange, name: string) => e.response?.headers?.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? '';

/** Where a 302 sends a form's visitor to sign in: n8n's sign-in page or its own OAuth authorization. */
const SIGN_IN_REDIRECT = /\/signin\b|\/oauth\/authorize\b/;

/**
 * The mode a form's or a chat's refusal names, from n8n's answer to the trigger URL, with its
 * evidence; undefined when the URL is no form or chat, or the answer is none of their refusals.
 */
export function triggerRefusal(url: string, e: Exchange): { mode: FormChatModeId; evidence: string[] } | undefined {
  const kind = triggerKindOf(url);
  const status = e.response?.status;
  if (!kind || status === undefined) return undefined;
  const body = (e.response?.body ?? '').trim();
  const challenge = headerOf(e, 'WWW-Authenticate');
  if (kind === 'form') {
    const location = headerOf(e, 'Location');
    if (status === 401 && /realm="enter credentials"/i.test(challenge))
      return { mode: 'form-auth-refused', evidence: [`WWW-Authenticate: ${challenge} (the Form Trigger's Basic Auth)`] };
    if (status === 302 && SIGN_IN_REDIRECT.test(location)) return { mode: 'form-sign-in-required', evidence: [`redirected to ${location.split('?')[0]}`] };
    if (status === 401 && body === '' && !challenge)
      return { mode: 'form-sign-in-required', evidence: ['an empty 401 with no challenge: the form asks for an n8n session (n8n User Auth)'] };
    return undefined;
  }
  if ((status === 401 || status === 403) && /^Authorization (is required|data is wrong)!$/.test(body))
    return { mode: 'chat-auth-refused', evidence: [`"${body}" (the Chat Trigger's Basic Auth)`] };
  if ((status === 401 || status === 500) && body === 'User not authenticated!')
    return { mode: 'chat-user-not-signed-in', evidence: ['no n8n-auth cookie reached the chat (n8n User Auth)'] };
  if (status === 401 && body === 'Invalid authentication token') return { mode: 'chat-session-invalid', evidence: ['n8n refused the n8n-auth cookie'] };
  return undefined;
}
