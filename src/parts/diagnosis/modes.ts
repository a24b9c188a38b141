import { FORM_CHAT_FAILURE_MODES } from './form-chat.ts';
import { MCP_FAILURE_MODES } from './mcp-modes.ts';
import { ALLOWLIST_FAILURE_MODES } from './webhook-allowlist.ts';
import { MAIL_FAILURE_MODES } from './mailer.ts';

/**
 * The failure modes the doctor can name from outside n8n, in the order its decision tree reaches
 * them. Each is proven by catalogue scenarios (their `doctor.names`); the fix the doctor prints is
 * the fix those scenarios verified.
 */
export const FAILURE_MODES = {
  'n8n-unreachable': {
    title: 'n8n does not answer',
    means: 'nothing answers at the n8n URL: n8n is down (a start refused, e.g. "Mismatching encryption keys") or the URL is wrong',
  },
  'key-missing': { title: 'no key', means: 'the key is empty or the variable holding it is not set in this environment (a CI secret not exported)' },
  'public-api-disabled': {
    title: 'public API disabled',
    means:
      "N8N_PUBLIC_API_DISABLED=true: n8n 1.x answers 404 on /api/v1 with or without a key; n8n 2.x answers every key 401 as if refused, and says so only to a signed-in user (its settings' publicApi.enabled false, /rest/api-keys 404)",
  },
  'key-stray-characters': {
    title: 'stray characters in the key',
    means: 'the key carries characters that cannot be part of it (spaces, a line break, a zero-width or non-breaking space, a BOM)',
  },
  'not-an-n8n-key': {
    title: 'not an n8n API key',
    means: 'the value is neither an n8n JWT API key nor a legacy n8n_api_ key (an N8N_API_KEY env value, a password, another token)',
  },
  'n8n-clock-skewed': {
    title: "n8n's clock is off",
    means: "n8n's clock (its HTTP Date header) is far from this machine's: keys and JWTs it issues or checks carry the wrong times",
  },
  'key-expired': { title: 'key expired', means: 'the key is past its exp' },
  'key-issued-in-future': { title: 'key issued in the future', means: "the key's iat lies ahead of n8n's clock: the n8n that issued it ran ahead" },
  'key-not-issued-here': {
    title: 'key not issued by this instance',
    means:
      'the key is not one this n8n issued: signed with another secret (another instance, another N8N_ENCRYPTION_KEY or JWT secret), or a character of it was changed',
  },
  'key-unknown-to-n8n': {
    title: 'key signed here, refused without a reason: deleted, or the public API off',
    means:
      "the key is signed with this instance's secret, yet n8n refuses it with a bare 401: the key was deleted (rotated) in Settings > n8n API or its user removed, or the public API is off (N8N_PUBLIC_API_DISABLED=true: n8n 2.x answers both alike); an owner's sign-in (--owner-email) tells which",
  },
  'key-deleted': {
    title: 'key deleted: this instance issued it and no longer has it',
    means:
      "the key is one this n8n issued (its signature, or its user, is this instance's), the public API is on, and n8n has no record of the key: it was deleted (rotated) in Settings > n8n API, or its user was removed (a user's keys go with them). Create a new key",
  },
  'instance-secret-changed': {
    title: "n8n's signing secret changed",
    means:
      'n8n knows the key but cannot verify its signature: n8n runs with another N8N_ENCRYPTION_KEY or N8N_USER_MANAGEMENT_JWT_SECRET than the one the key was issued under',
  },
  'key-rejected': {
    title: 'key refused: which cause, the evidence given cannot tell',
    means:
      'n8n refuses a well-formed key with a bare 401, which it answers alike to (a) a key another n8n signed, (b) a key it issued and then deleted (or whose user it removed) and (c), on n8n 2.x, any key while its public API is off: the evidence names the causes that remain and the options that tell them apart (--encryption-key-file, --owner-email)',
  },
  'key-scope-missing': {
    title: 'key lacks a scope',
    means: 'the key works on /api/v1/workflows but not on the path the client calls: it lacks the scope that endpoint needs',
  },
  'rest-endpoint-with-key': {
    title: '/rest with an API key',
    means: 'the client calls /rest/..., the editor API that takes a session cookie, never an API key; the same key works on /api/v1',
  },
  'wrong-api-path': { title: 'wrong API path', means: 'the path the client calls is not a public API endpoint; the same key works on /api/v1/workflows' },
  'proxy-unreachable': { title: 'the proxy does not answer', means: 'nothing answers at the proxy URL' },
  'proxy-path-mismatch': {
    title: 'proxy routes the API path elsewhere',
    means: "through the proxy, /api/v1 does not reach n8n's public API (a path prefix without N8N_PATH, or a location that does not route it)",
  },
  'proxy-refuses': {
    title: 'the proxy refuses the request itself',
    means: "the proxy answers with its own page (an allow/deny rule, auth at the proxy), not n8n's JSON",
  },
  'proxy-loses-key': {
    title: 'the proxy loses the key',
    means:
      'the key works straight on n8n and is refused through the proxy: the proxy drops or blanks the header, or sends another value (a static key since rotated); n8n 1.x says which ("header required": none arrived), n8n 2.x answers both alike',
  },
  'proxy-routes-to-another-n8n': {
    title: 'the proxy reaches another n8n',
    means:
      "the key works straight on n8n and is refused through the proxy, where another n8n answers: its key-less answers differ from this n8n's (n8n 1.x's /rest/settings instance id or version; the editor assets' ETag and Last-Modified, written when an n8n starts). The proxy's upstream names another instance (a second or an old n8n container, a staging host): point it at this n8n, or use a key of the n8n it reaches",
  },
  'proxy-injects-key': {
    title: 'the proxy injects a key',
    means:
      'through the proxy a request with no key or a wrong key is accepted: the proxy adds a key of its own (anyone reaching the proxy has API access, and rotation breaks it)',
  },
  'credentials-undecryptable': {
    title: 'stored credentials cannot be decrypted',
    means:
      'workflows fail with "Credentials could not be decrypted" (by chance, about 1 in 256, "Decrypted credentials data is not valid JSON"): n8n runs with another encryption key than the one its credentials were saved under (a lost .n8n folder that n8n regenerated, a changed N8N_ENCRYPTION_KEY, a queue worker on another key); the API key may still work',
  },
  'credential-value-unsendable': {
    title: "a credential's value cannot be sent",
    means:
      "a workflow's HTTP request never left n8n: the header value from its credential carries a character HTTP forbids (a line break, a zero-width space, a BOM pasted with the key)",
  },
  'workflow-call-rejected': {
    title: "a workflow's call to a third-party API is refused",
    means:
      'a workflow\'s HTTP request got 401 from the API it calls: n8n and its API key are fine; the API refuses the key stored in the workflow\'s credential (wrong, pasted with stray characters, without "Bearer ", a project key without its project, a plan or scope without the operation)',
  },
  'resource-not-visible-to-key': {
    title: "the key's user cannot see that resource",
    means:
      "the key works and holds the endpoint's scope (an id that does not exist answers 404), yet the resource answers 403: it exists in a project its user is not in (a member's key on the owner's workflow; the member's listing leaves it out). Use a key of a user who can see it, or move the resource to that user's project",
  },
  'n8n-node-call-failed': {
    title: "a workflow's n8n node cannot use n8n's own API",
    means:
      "a workflow's n8n node (its \"n8n API\" credential: a key and a Base URL) failed on the n8n it calls: 404 when the Base URL lacks /api/v1, 401 when the key is refused or a proxy on the Base URL's way drops it, 403 when the key lacks the operation's scope",
  },
  'webhook-not-registered': {
    title: 'the webhook is not registered',
    means:
      'n8n answers 404 "The requested webhook ... is not registered": a test URL (/webhook-test/) with no editor listening, or the production URL (/webhook/) of a workflow that is not published (n8n 1.x: not active), or one n8n refused to publish; its hint says which URL it took it for',
  },
  'webhook-method-not-registered': {
    title: 'the webhook is registered for another method',
    means: 'n8n answers 404 "This webhook is not registered for <method> requests": call it with the method the Webhook node sets (n8n names it)',
  },
  'webhook-auth-refused': {
    title: "the Webhook node's own authentication refused the call",
    means:
      'n8n answers 401 or 403 with WWW-Authenticate: Basic realm="Webhook": the header the Header Auth credential names is missing or its value differs (a credential saved with a trailing newline included), wrong Basic credentials, or a JWT missing, expired, not yet valid (nbf from a clock ahead) or signed with another secret; the text says which',
  },
  'webhook-auth-unconfigured': {
    title: 'the Webhook node has no credential for its authentication',
    means:
      'n8n answers 500 "No authentication data defined on node!": the node asks for authentication and names no credential (n8n 2.x refuses to publish such a workflow: there it shows as not registered)',
  },
  'webhook-request-malformed': {
    title: "n8n's HTTP server refused the webhook call itself",
    means: 'an empty 400 before any workflow saw the call: a header carries a byte HTTP forbids (a line break pasted after a value)',
  },
  ...ALLOWLIST_FAILURE_MODES,
  'env-access-denied': {
    title: 'an expression may not read $env',
    means:
      'a workflow failed with "access to env vars denied": an expression in a node or a credential field (`{{ $env.API_KEY }}`) reads an environment variable and N8N_BLOCK_ENV_ACCESS_IN_NODE blocks it (the default of n8n 2.41.0; 1.116.2 blocks only when it is set to true); nothing was sent to the API. Store the value in the credential itself, or set N8N_BLOCK_ENV_ACCESS_IN_NODE=false on every n8n process that runs executions (in queue mode the workers), a security trade-off: every workflow, and so everyone who may edit one, can then read all of n8n\'s env, N8N_ENCRYPTION_KEY included',
  },
  'code-task-no-runner': {
    title: 'Code nodes find no task runner',
    means:
      'Code nodes fail with "Task request timed out": no task runner took their task in time. With runners in external mode, the runner is not connected to n8n\'s task broker: its N8N_RUNNERS_AUTH_TOKEN differs from n8n\'s (the broker answers its launcher 403), it cannot reach the broker, it is down, or it is at capacity. n8n 1.x has no such timeout: its executions wait and never finish, which the doctor cannot tell from a long run',
  },
  'oauth2-refresh-refused': {
    title: "an OAuth2 credential's refresh is refused",
    means:
      'a workflow failed when n8n refreshed an OAuth2 credential and the provider refused its refresh token (invalid_grant: n8n 2.x says the credential "needs to be reconnected", 1.x quotes the OAuth library): the grant was revoked at the provider, the refresh token expired, or (with refresh-token rotation) another execution or queue worker used it first and the provider revoked the grant. Reconnect the credential; where executions or workers refresh at once, n8n 1.x has no refresh lock (2.x locks per credential, across workers through Redis, for up to 10 s)',
  },
  ...MCP_FAILURE_MODES,
  ...FORM_CHAT_FAILURE_MODES,
  ...MAIL_FAILURE_MODES,
  'secure-cookie-over-http': {
    title: "the editor's Secure cookie over plain http",
    means:
      'n8n issues its session cookie with Secure (N8N_SECURE_COOKIE defaults to true) and is reached over http by a name other than localhost: browsers drop the cookie, so sign-in loops and /rest answers 401; serve n8n over https (or set N8N_SECURE_COOKIE=false)',
  },
  'push-upgrade-dropped': {
    title: "the proxy does not pass the editor's push websocket on",
    means:
      'n8n takes a websocket on /rest/push straight, the proxy turns it into a plain request that n8n answers with 401: the editor shows "Connection lost". Pass the upgrade on (NGINX: proxy_http_version 1.1, proxy_set_header Upgrade $http_upgrade, proxy_set_header Connection "upgrade")',
  },
} as const satisfies Record<string, { title: string; means: string }>;

export type FailureModeId = keyof typeof FAILURE_MODES;

export const FAILURE_MODE_IDS = Object.keys(FAILURE_MODES) as FailureModeId[];
