import { randomBytes } from 'node:crypto';
import { OAuthProviderContainer, type StartedOAuthProviderContainer } from '../oauth-provider-container.ts';
import { removeContainer, type StackService } from './stack-service.ts';

/**
 * An OAuth 2.0 authorization server (oidc-provider) for n8n's OAuth2 credentials, with one client
 * and a secret made per stack. Started before n8n: n8n needs nothing from it at boot.
 */
export const oauthProviderService: StackService<StartedOAuthProviderContainer> = {
  describe: () => 'the OAuth 2.0 authorization server',
  neededBy: (spec) => spec.oauthProvider === true,
  images: () => ['oauth'],
  start: (ctx) => new OAuthProviderContainer(ctx.image('oauth'), randomBytes(18).toString('hex'), ctx.spec.name).withStackNetwork(ctx.network).start(),
  stop: removeContainer,
};
