import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { registerSecret } from '../../base/secrets.ts';
import { LogBuffer } from './log-buffer.ts';
import { loopbackUrl, LoopbackContainer } from './loopback-container.ts';

/** The port and network alias of the OAuth server (containers/oauth-provider/server.mjs). */
export const OAUTH_PORT = 3000;
export const OAUTH_ALIAS = 'oauth';
/** Its one client: n8n's OAuth2 credential signs in as it. */
export const OAUTH_CLIENT_ID = 'n8n';
/** The JSON line server.mjs prints for each request it judged. */
const EVENT_PREFIX = '{"oauthEvent":';

/** What the authorization server saw of one request: a refused redirect_uri, a code granted, a token issued. */
export interface OAuthEvent {
  at: string;
  kind: string;
  error?: string;
  description?: string;
  redirectUri?: string;
  redirectUris?: string[];
  clientId?: string;
  grantType?: string;
  /** The protected API's answer (`api.call`). */
  status?: number;
  /** The last characters of the refresh token a grant request sent, or of the access token an API call carried. */
  refreshToken?: string;
  token?: string;
}

/** What a test may change on the running server: the access token's lifetime (s), the API's status for an expired token, a slow token endpoint (ms). */
export interface OAuthServerSettings {
  accessTokenTtl?: number;
  expiredStatus?: 400 | 401 | 403;
  tokenDelayMs?: number;
}

/**
 * A real OAuth 2.0 authorization server (oidc-provider) on the stack network, as `oauth:3000`:
 * the authorization-code flow over HTTP, one confidential client whose redirect URIs a test registers
 * once it knows n8n's public URL (`registerRedirectUris`).
 */
export class OAuthProviderContainer extends LoopbackContainer {
  private readonly clientSecret: string;

  constructor(image: string, clientSecret: string, stack?: string) {
    super(image, stack);
    this.clientSecret = clientSecret;
    this.withExposedPorts(OAUTH_PORT)
      .withEnvironment({
        OAUTH_PORT: String(OAUTH_PORT),
        OAUTH_ISSUER: `http://${OAUTH_ALIAS}:${OAUTH_PORT}`,
        OAUTH_CLIENT_ID,
        OAUTH_CLIENT_SECRET: clientSecret,
      })
      .withWaitStrategy(Wait.forLogMessage('"kind":"listening"'))
      .withStartupTimeout(60_000);
  }

  withStackNetwork(network: StartedNetwork): this {
    return this.withNetwork(network).withNetworkAliases(OAUTH_ALIAS);
  }

  override async start(): Promise<StartedOAuthProviderContainer> {
    const logs = new LogBuffer();
    this.withLogConsumer((s) => logs.attach(s));
    return new StartedOAuthProviderContainer(await super.start(), logs, registerSecret(this.clientSecret, 'secret'));
  }
}

export class StartedOAuthProviderContainer extends AbstractStartedContainer {
  readonly logLines: LogBuffer;
  readonly clientId = OAUTH_CLIENT_ID;
  readonly clientSecret: string;

  constructor(started: StartedTestContainer, logs: LogBuffer, clientSecret: string) {
    super(started);
    this.logLines = logs;
    this.clientSecret = clientSecret;
  }

  /** Its published port on 127.0.0.1: where a browser on the host reaches it (under a name it maps there). */
  get hostPort(): number {
    return this.getMappedPort(OAUTH_PORT);
  }

  /** Where n8n reaches it on the stack network (the token endpoint is called by n8n, not the browser). */
  get internalUrl(): string {
    return `http://${OAUTH_ALIAS}:${OAUTH_PORT}`;
  }

  /** Registers the client's redirect URIs (the server starts its provider again with them). */
  async registerRedirectUris(uris: string[]): Promise<OAuthEvent> {
    const mark = this.logLines.mark();
    const answer = await fetch(`${loopbackUrl(this, OAUTH_PORT)}/authlab/client`, { method: 'POST', body: JSON.stringify({ redirectUris: uris }) });
    if (!answer.ok) throw new Error(`the OAuth server refused the client's redirect URIs: ${answer.status} ${await answer.text()}`);
    await this.logLines.waitFor(/"kind":"client\.registered"/, mark);
    return this.events(mark).find((e) => e.kind === 'client.registered')!;
  }

  /** Changes the server's settings; its answer is all of them as they are now. */
  async configure(settings: OAuthServerSettings): Promise<Required<OAuthServerSettings>> {
    return (await this.post('/authlab/config', settings, 'the settings')) as Required<OAuthServerSettings>;
  }

  /** An authorization code for `redirectUri`, as the consent screen gives one (the account consented to openid offline_access). */
  async mintCode(redirectUri: string): Promise<string> {
    const { code } = (await this.post('/authlab/code', { redirectUri }, 'an authorization code')) as { code: string };
    return registerSecret(code, 'secret');
  }

  /** Revokes every grant it minted, with its tokens (the user removed the app's access); the grants' last characters. */
  async revokeGrants(): Promise<string[]> {
    return ((await this.post('/authlab/revoke-grants', {}, 'revoking the grants')) as { revoked: string[] }).revoked;
  }

  private async post(path: string, body: unknown, what: string): Promise<unknown> {
    const answer = await fetch(`${loopbackUrl(this, OAUTH_PORT)}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!answer.ok) throw new Error(`the OAuth server refused ${what}: ${answer.status} ${await answer.text()}`);
    return answer.json();
  }

  /** What it saw since `mark` (a `logLines.mark()`). */
  events(mark = 0): OAuthEvent[] {
    return this.logLines
      .since(mark)
      .filter((l) => l.startsWith(EVENT_PREFIX))
      .map((l) => (JSON.parse(l) as { oauthEvent: OAuthEvent }).oauthEvent);
  }
}
