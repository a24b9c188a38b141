import { randomBytes } from 'node:crypto';
import { PROVIDERS } from '../../providers/catalog.ts';
import { registerSecret } from '../../../base/secrets.ts';
import { ProviderContainer, type StartedProviderContainer } from '../provider-container.ts';
import type { StackService } from './stack-service.ts';

/** The mock providers of a stack and the secrets it generated for them (shared signing secrets, say). */
export interface ProviderHandle {
  container: StartedProviderContainer;
  secrets: Record<string, string>;
  /** The env n8n gets from them (the spec's `providerSecretsInEnv`). */
  n8nEnv: Record<string, string>;
}

/** Mock third-party APIs, run by the n8n image's Node.js (without libfaketime: on true time). */
export const providersService: StackService<ProviderHandle> = {
  describe: (spec) => `the mock providers ${(spec.providers ?? []).join(', ')}`,
  neededBy: (spec) => (spec.providers?.length ?? 0) > 0,
  images: () => [],
  start: async (ctx) => {
    const names = ctx.spec.providers ?? [];
    const secrets: Record<string, string> = {};
    for (const env of names.flatMap((n) => PROVIDERS[n].secretEnv ?? [])) secrets[env] = registerSecret(randomBytes(24).toString('hex'), 'secret');
    const container = await new ProviderContainer(ctx.opts.providerImage ?? ctx.opts.image, names, ctx.spec.name)
      .withStackNetwork(ctx.network, names)
      .withProviderEnv(secrets)
      .start();
    return { container, secrets, n8nEnv: secretsInEnv(ctx.spec.providerSecretsInEnv ?? {}, secrets) };
  },
  n8nEnv: (providers) => providers.n8nEnv,
  stop: (providers) => providers.container.stop({ remove: true }),
};

/** Each env name with the value of the provider secret it names; a secret no provider of the stack has is an error in the spec. */
function secretsInEnv(wanted: Record<string, string>, secrets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(wanted).map(([name, secret]) => {
      const value = secrets[secret];
      if (value === undefined) throw new Error(`providerSecretsInEnv: ${name} names ${secret}, which none of the stack's providers has`);
      return [name, value];
    }),
  );
}
