import { registerSecret } from '../../base/secrets.ts';
import type { Exchange } from '../client/exchange.ts';
import { rawRequest } from '../client/raw-http.ts';
import type { ConnectTo } from '../client/connect-to.ts';
import type { TlsTrust } from '../client/tls-trust.ts';
import type { OwnerAnswer, OwnerAnswers } from './owner-reading.ts';

/** An owner's (or admin's) sign-in, handed to the doctor to read what n8n says of its public API and its keys. */
export interface OwnerLogin {
  email: string;
  password: string;
}

/** n8n binds its session cookie to a hash of this header: the session sends the same one throughout. */
const BROWSER_ID: [string, string] = ['browser-id', 'authlab-doctor'];

/**
 * Signs in as the editor does (POST /rest/login; older builds take `email`, newer `emailOrLdapLoginId`)
 * and, signed in, reads /rest/settings, /rest/api-keys and /rest/users. The password and the session
 * cookie are registered as secrets before anything is recorded; every request is recorded in `record`.
 */
export async function readAsOwner(
  url: string,
  login: OwnerLogin,
  opts: { timeoutMs: number; tls?: TlsTrust; connectTo?: readonly ConnectTo[] },
  record: (e: Exchange) => void,
): Promise<OwnerAnswers> {
  registerSecret(login.password, 'password');
  let cookie: string | undefined;
  const ask = async (label: string, path: string, json?: unknown): Promise<OwnerAnswer> => {
    let whole: OwnerAnswer = { status: 0, body: '' };
    const e = await rawRequest({
      label,
      url: `${url}${path}`,
      headers: [BROWSER_ID, ['Accept', 'application/json'], ...(cookie ? ([['Cookie', cookie]] as Array<[string, string]>) : [])],
      ...(json !== undefined ? { json } : {}),
      timeoutMs: opts.timeoutMs,
      tls: opts.tls,
      connectTo: opts.connectTo,
      keepResponseHeaders: ['set-cookie'],
      onResponse: (r) => {
        const auth = r.headers?.find(([name, value]) => name.toLowerCase() === 'set-cookie' && value.startsWith('n8n-auth='));
        if (auth) cookie = registerSecret(auth[1].split(';')[0]!, 'secret');
        whole = { status: r.status, body: r.body };
      },
    });
    record(e);
    return whole;
  };
  let signIn = await ask("the owner's sign-in", '/rest/login', { emailOrLdapLoginId: login.email, password: login.password });
  if (signIn.status === 400) signIn = await ask("the owner's sign-in (older builds' field)", '/rest/login', { email: login.email, password: login.password });
  if (signIn.status !== 200 || !cookie) return { login: signIn };
  return {
    login: signIn,
    settings: await ask("n8n's settings, signed in", '/rest/settings'),
    apiKeys: await ask("the signed-in user's API keys (Settings > n8n API)", '/rest/api-keys'),
    users: await ask("the instance's users", '/rest/users'),
  };
}
