import { randomBytes } from 'node:crypto';
import { N8nClient, newOwnerAccount } from '../client/n8n-client.ts';
import { registerSecret } from '../../base/secrets.ts';
import { N8nContainer, N8nStartError, replacementFor, type N8nReplacement, type StartedN8nContainer } from './n8n-container.ts';
import { startStackNetwork } from '../../docker/network.ts';
import { serviceContext, servicesN8nEnv, startServices } from './services/registry.ts';
import type { StackSpec, StackStartOptions } from './stack-spec.ts';
import { type N8nInstance, type StackParts, StartedAuthStack, stopParts } from './started-stack.ts';

export type { ProxyHandle } from './services/proxies.ts';
export type { StackSpec } from './stack-spec.ts';
export { type N8nInstance, StartedAuthStack } from './started-stack.ts';

/**
 * Starts the stack's network, the services n8n needs first (services/registry.ts), the n8n
 * instances with the env those services give, the primary's queue workers, and the services that
 * need n8n running; sets up each owner and creates an API key.
 */
export async function startAuthStack(spec: StackSpec, opts: StackStartOptions): Promise<StartedAuthStack> {
  const network = await startStackNetwork(spec.name);
  const parts: StackParts = { instances: [], workers: [], services: {} };
  try {
    const ctx = serviceContext({ spec, opts, network });
    await startServices('before-n8n', ctx, parts.services);
    const env = { ...servicesN8nEnv(ctx, parts.services), ...spec.env };
    for (let i = 0; i < (spec.instances ?? 1); i++) {
      opts.progress?.(`starting n8n ${opts.version} (${spec.name}${i ? ` #${i + 1}` : ''})`);
      const main = new N8nContainer(opts.image, opts.version, spec.name)
        .withLogLevel(opts.logLevel ?? 'debug')
        .withN8nEnv(env)
        .withStackNetwork(network, i === 0 ? ctx.primaryAlias : `n8n-${i + 1}`);
      if (!spec.generatedEncryptionKey) main.withEncryptionKey(newEncryptionKey());
      parts.instances.push(await bootstrap(await startKnowingModules(main, spec.modules ?? [])));
    }
    for (let w = 0; w < (spec.queue?.workers ?? 0); w++) {
      opts.progress?.(`starting n8n worker #${w + 1}`);
      parts.workers.push(await workerOf(parts.instances[0]!.container, `n8n-worker-${w + 1}`, { env: spec.queue?.workerEnv ?? {} }).start());
    }
    await startServices('after-n8n', ctx, parts.services);
  } catch (err) {
    await stopParts(parts, network);
    throw err;
  }
  return new StartedAuthStack(opts.version, spec, network, parts);
}

/**
 * Starts n8n with the modules the spec asks for; when this version does not know one (n8n exits
 * with `Unknown module "..."`), starts it over the same data without them.
 */
async function startKnowingModules(main: N8nContainer, modules: string[]): Promise<StartedN8nContainer> {
  if (!modules.length) return main.start();
  try {
    return await main.withN8nEnv({ N8N_ENABLED_MODULES: modules.join(',') }).start();
  } catch (err) {
    if (!(err instanceof N8nStartError) || !err.lastLogLines.some((l) => /Unknown module "/.test(l))) throw err;
    return replacementFor(err.settings, { unset: ['N8N_ENABLED_MODULES'] }).start();
  }
}

/** A worker for a main: the same image, database, queue and encryption key (unless told otherwise). */
export function workerOf(main: StartedN8nContainer, alias: string, change: N8nReplacement = {}): N8nContainer {
  return replacementFor({ ...main.settings, alias, dataVolume: undefined, files: [] }, { ...change, freshData: true }).asWorker();
}

async function bootstrap(container: StartedN8nContainer): Promise<N8nInstance> {
  const client = new N8nClient(container.getBaseUrl());
  const owner = newOwnerAccount();
  try {
    await client.setupOwner(owner);
    const apiKey = await client.createApiKey({ label: 'authlab' });
    return { container, client, owner, apiKey };
  } catch (err) {
    await container.stop({ remove: true });
    throw err;
  }
}

export function newEncryptionKey(): string {
  return registerSecret(randomBytes(24).toString('hex'), 'encryption-key');
}
