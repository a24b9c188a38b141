import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { mask, registerSecret } from '../../base/secrets.ts';

/** n8n binds the `n8n-auth` cookie to a hash of this header; every call must send the same one. */
const BROWSER_ID = 'authlab-browser';
const API_KEY_HEADER = 'X-N8N-API-KEY';

export interface OwnerAccount {
  email: string;
  firstName: string;
  lastName: string;
  password: string;
}

/** An owner with a fresh password that meets n8n's rules (8-64 chars, a digit, an uppercase letter). */
export function newOwnerAccount(): OwnerAccount {
  const password = registerSecret(`Authlab-${randomBytes(9).toString('base64url')}7Q`, 'password');
  return { email: 'owner@authlab.test', firstName: 'Lab', lastName: 'Owner', password };
}

export interface ApiKey {
  id: string;
  label: string;
  rawApiKey: string;
  scopes?: string[];
  expiresAt?: number | null;
}

interface ApiKeyRequest {
  label: string;
  /** Unix seconds; null or absent for a key that never expires. */
  expiresAt?: number | null;
  /** Absent: every scope the instance offers the owner. */
  scopes?: string[];
}

export interface Answer {
  status: number;
  text: string;
  json?: unknown;
}

export class N8nRequestError extends Error {
  constructor(what: string, answer: Answer) {
    super(mask(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`));
    this.name = 'N8nRequestError';
  }
}

/**
 * n8n makes a key from its user and the second it is issued: two asked for in one second are the
 * same key, and n8n refuses the second (500 "There is already an entry with this name"). Key requests
 * in this process are spaced a little over a second apart.
 */
let lastKeyRequestAt = 0;
let keyQueue: Promise<void> = Promise.resolve();
function keySlot(): Promise<void> {
  keyQueue = keyQueue.then(async () => {
    const wait = lastKeyRequestAt + 1100 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    lastKeyRequestAt = Date.now();
  });
  return keyQueue;
}

/**
 * An undici client for n8n's editor API (`/rest`, cookie auth) and public API (`/api/v1`, API key).
 * Every secret it handles is registered for masking.
 */
export class N8nClient {
  private cookie: string | undefined;
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  async call(method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
    const res = await request(`${this.baseUrl}${path}`, {
      method: method as 'GET',
      headers: {
        'browser-id': BROWSER_ID,
        accept: 'application/json',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const setCookie = res.headers['set-cookie'];
    const auth = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).find((c) => c.startsWith('n8n-auth='));
    if (auth) this.cookie = registerSecret(auth.split(';')[0]!, 'secret');
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, text, json };
  }

  /** The `n8n-auth=...` cookie of the current session, as a browser would send it. */
  sessionCookie(): string | undefined {
    return this.cookie;
  }

  /** First-run owner setup; sets the session cookie. */
  async setupOwner(owner: OwnerAccount): Promise<void> {
    const answer = await this.call('POST', '/rest/owner/setup', { body: owner });
    if (answer.status !== 200) throw new N8nRequestError('owner setup failed', answer);
  }

  /** Logs in; the body's field was `email` on older builds and `emailOrLdapLoginId` on newer ones. */
  async login(owner: OwnerAccount): Promise<void> {
    let answer = await this.call('POST', '/rest/login', { body: { emailOrLdapLoginId: owner.email, password: owner.password } });
    if (answer.status === 400) answer = await this.call('POST', '/rest/login', { body: { email: owner.email, password: owner.password } });
    if (answer.status !== 200) throw new N8nRequestError('login failed', answer);
  }

  /** The scopes an API key may get here, or undefined on builds without scoped keys. */
  async apiKeyScopes(): Promise<string[] | undefined> {
    const answer = await this.call('GET', '/rest/api-keys/scopes');
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new N8nRequestError('listing API key scopes failed', answer);
    return (answer.json as { data: string[] }).data;
  }

  /** POST /rest/api-keys as the editor sends it, at most one per second in this process (see keySlot). */
  async requestApiKey(body: unknown): Promise<Answer> {
    await keySlot();
    return this.call('POST', '/rest/api-keys', { body });
  }

  /** Creates an API key with the request shape this version takes (2.x and late 1.x: label, expiry, scopes). */
  async createApiKey(req: ApiKeyRequest): Promise<ApiKey> {
    const scopes = req.scopes ?? (await this.apiKeyScopes());
    const shapes: unknown[] = scopes ? [{ label: req.label, expiresAt: req.expiresAt ?? null, scopes }, { label: req.label }] : [{ label: req.label }];
    const refused: Answer[] = [];
    let answer: Answer | undefined;
    for (const body of shapes) {
      answer = await this.requestApiKey(body);
      if (answer.status === 200) break;
      refused.push(answer);
    }
    if (!answer || answer.status !== 200) throw new N8nRequestError('creating an API key failed', refused[0]!);
    const data = (answer.json as { data: Record<string, unknown> }).data;
    const rawApiKey = String(data.rawApiKey ?? data.apiKey);
    registerSecret(rawApiKey, 'api-key');
    return {
      id: String(data.id),
      label: String(data.label ?? req.label),
      rawApiKey,
      scopes: (data.scopes as string[] | undefined) ?? scopes,
      expiresAt: (data.expiresAt as number | null | undefined) ?? req.expiresAt ?? null,
    };
  }

  /** Deletes an API key (rotation: the old key stops working at once). */
  async deleteApiKey(id: string): Promise<void> {
    const answer = await this.call('DELETE', `/rest/api-keys/${id}`);
    if (answer.status !== 200) throw new N8nRequestError('deleting an API key failed', answer);
  }

  /** A public API call with the key in the documented header. */
  publicApi(method: string, path: string, apiKey: string, body?: unknown): Promise<Answer> {
    return this.call(method, `/api/v1${path}`, { headers: { [API_KEY_HEADER]: apiKey }, ...(body !== undefined ? { body } : {}) });
  }

  /**
   * Creates a credential as the editor does (signed in), since the public API's schema check
   * demands fields the credential's own form hides (jwtAuth's privateKey for a passphrase key).
   * Its secret fields must already be registered for masking.
   */
  async createCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<string> {
    const answer = await this.call('POST', '/rest/credentials', { body: credential });
    if (answer.status !== 200) throw new N8nRequestError(`creating the ${credential.type} credential failed`, answer);
    const json = answer.json as { data?: { id: string }; id?: string };
    return String(json.data?.id ?? json.id);
  }

  /** Replaces a credential's name, type and data, as a user saving it in the editor does (signed in); the answer as it came. */
  updateCredential(id: string, credential: { name: string; type: string; data: Record<string, unknown> }) {
    return this.call('PATCH', `/rest/credentials/${id}`, { body: credential });
  }

  /** Creates a workflow through the public API and activates it (its webhooks may register a moment later). */
  async deployWorkflow(apiKey: string, workflow: Record<string, unknown>): Promise<{ id: string }> {
    const created = await this.publicApi('POST', '/workflows', apiKey, workflow);
    if (created.status !== 200) throw new N8nRequestError('creating a workflow failed', created);
    const id = String((created.json as { id: string }).id);
    const activated = await this.publicApi('POST', `/workflows/${id}/activate`, apiKey);
    if (activated.status !== 200) throw new N8nRequestError(`activating workflow ${id} failed`, activated);
    return { id };
  }
}
