import { randomBytes } from 'node:crypto';
import type { ServiceKind } from '../../images/service-images.ts';
import { registerSecret } from '../../../base/secrets.ts';
import type { StackSpec } from '../stack-spec.ts';
import { postgresService } from './postgres.ts';
import { prometheusService } from './prometheus.ts';
import { providersService } from './providers.ts';
import { proxiesService } from './proxies.ts';
import { redisService } from './redis.ts';
import { taskRunnerService } from './task-runner.ts';
import { oauthProviderService } from './oauth-provider.ts';
import { mailServerService } from './mail-server.ts';
import type { ServiceContext, StackService } from './stack-service.ts';

/**
 * Every service a stack may run besides n8n, in start order (before n8n, then after it). Adding a
 * service is one entry here: a `StackService` in its own file beside these, and the StackSpec
 * option its `neededBy` reads; the pool resolves its images and the stack starts it, stops it and
 * gives n8n its env. A started stack offers it as `stack.services.<name>`.
 * See services/task-runner.ts: an after-n8n service whose token n8n needs first (`ctx.secret`).
 */
const STACK_SERVICES = {
  postgres: postgresService,
  redis: redisService,
  providers: providersService,
  prometheus: prometheusService,
  proxy: proxiesService,
  taskRunner: taskRunnerService,
  oauthProvider: oauthProviderService,
  mailServer: mailServerService,
} as const;

type StackServiceName = keyof typeof STACK_SERVICES;
type StartedOf<S> = S extends StackService<infer Started> ? Started : never;
/** The services a stack started, by name. */
export type StartedServices = { -readonly [K in StackServiceName]?: StartedOf<(typeof STACK_SERVICES)[K]> };

const NAMES = Object.keys(STACK_SERVICES) as StackServiceName[];
// One service type for the loops below: each entry's own type is checked where it is declared.
const serviceOf = (name: StackServiceName) => STACK_SERVICES[name] as StackService<unknown>;

/** The services a spec needs, in start order. */
export function servicesOf(spec: StackSpec): StackServiceName[] {
  return NAMES.filter((name) => serviceOf(name).neededBy(spec));
}

/** The service images a spec needs (what a pool or a caller resolves before the stack starts). */
export function serviceImagesOf(spec: StackSpec): ServiceKind[] {
  return [...new Set(servicesOf(spec).flatMap((name) => serviceOf(name).images(spec)))];
}

/** Resolves each image a spec needs. */
export async function resolveServiceImages(spec: StackSpec, resolve: (kind: ServiceKind) => Promise<string>): Promise<Partial<Record<ServiceKind, string>>> {
  const images: Partial<Record<ServiceKind, string>> = {};
  for (const kind of serviceImagesOf(spec)) images[kind] = await resolve(kind);
  return images;
}

/** The primary's alias: `n8n`, unless a service takes that name (the tap in front of it). */
function primaryAliasOf(spec: StackSpec): string {
  return servicesOf(spec).some((name) => serviceOf(name).takesN8nAlias) ? 'n8n-app' : 'n8n';
}

/** The parts of a ServiceContext every service of one stack shares. */
export function serviceContext(base: Omit<ServiceContext, 'image' | 'secret' | 'primaryAlias'>): ServiceContext {
  const secrets = new Map<string, string>();
  return {
    ...base,
    primaryAlias: primaryAliasOf(base.spec),
    image: (kind) => {
      const image = base.opts.serviceImages?.[kind];
      if (!image) throw new Error(`stack ${base.spec.name} needs a ${kind} image`);
      return image;
    },
    secret: (name) => {
      let value = secrets.get(name);
      if (value === undefined) secrets.set(name, (value = registerSecret(randomBytes(24).toString('hex'), 'secret')));
      return value;
    },
  };
}

type Phase = 'before-n8n' | 'after-n8n';
const inPhase = (name: StackServiceName, phase: Phase): boolean => (serviceOf(name).startsAfterN8n === true) === (phase === 'after-n8n');

/** Starts the spec's services of one phase into `started`, so that after a failure what did start is there to stop. */
export async function startServices(phase: Phase, ctx: ServiceContext, started: StartedServices): Promise<void> {
  for (const name of servicesOf(ctx.spec)) {
    const service = serviceOf(name);
    if (!inPhase(name, phase)) continue;
    ctx.opts.progress?.(`starting ${service.describe(ctx.spec)}`);
    (started as Record<StackServiceName, unknown>)[name] = await service.start(ctx);
  }
}

/** The env the spec's services give every n8n of the stack: before-n8n ones from what started, after-n8n ones from the context. */
export function servicesN8nEnv(ctx: ServiceContext, started: StartedServices): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of servicesOf(ctx.spec)) {
    const service = serviceOf(name);
    if (service.startsAfterN8n) Object.assign(env, service.n8nEnv?.(ctx));
    else if (started[name] !== undefined) Object.assign(env, service.n8nEnv?.(started[name]));
  }
  return env;
}

/** Stops the started services of one phase, side by side. */
export async function stopServices(phase: Phase, started: StartedServices): Promise<void> {
  await Promise.allSettled(NAMES.filter((name) => started[name] !== undefined && inPhase(name, phase)).map((name) => serviceOf(name).stop(started[name])));
}
