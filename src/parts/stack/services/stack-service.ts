import type { StartedNetwork } from 'testcontainers';
import type { ServiceKind } from '../../images/service-images.ts';
import type { StackSpec, StackStartOptions } from '../stack-spec.ts';

/** What a service is given to start on its stack. */
export interface ServiceContext {
  spec: StackSpec;
  opts: StackStartOptions;
  network: StartedNetwork;
  /** The primary n8n's alias on the network (`n8n-app` when a service takes `n8n`). */
  primaryAlias: string;
  /** The image of a service kind this service lists in `images`. */
  image(kind: ServiceKind): string;
  /**
   * A secret made once per stack and registered for masking: what a service and n8n share.
   * @example ctx.secret('runner-auth-token') // in an after-n8n service's n8nEnv and in its start: the same value
   */
  secret(name: string): string;
}

interface ServiceBase<Started> {
  /** For progress lines: "starting PostgreSQL". */
  describe(spec: StackSpec): string;
  /** When a stack needs it. */
  neededBy(spec: StackSpec): boolean;
  /** The service images it runs, resolved before the stack starts; a service on the n8n image lists none. */
  images(spec: StackSpec): ServiceKind[];
  /** Takes the network alias `n8n` (the primary becomes `n8n-app`), so configs that name n8n reach this service. */
  takesN8nAlias?: boolean;
  start(ctx: ServiceContext): Promise<Started>;
  stop(started: Started): Promise<unknown>;
}

/** Started before n8n: n8n gets the env it gives from what started (a database's address). */
interface BeforeN8nService<Started> extends ServiceBase<Started> {
  startsAfterN8n?: false;
  n8nEnv?(started: Started): Record<string, string>;
}

/** Started once every n8n main runs (it needs n8n to answer); the env it gives n8n is known beforehand. */
interface AfterN8nService<Started> extends ServiceBase<Started> {
  startsAfterN8n: true;
  n8nEnv?(ctx: ServiceContext): Record<string, string>;
}

/**
 * A service of a stack besides n8n, in the shape of n8n's own harness (packages/testing/containers):
 * when a stack needs it, its images, how it starts on the stack network, the env it gives n8n.
 */
export type StackService<Started> = BeforeN8nService<Started> | AfterN8nService<Started>;

/** Stops a container and removes it. */
export const removeContainer = (c: { stop(o: { remove: boolean }): Promise<unknown> }): Promise<unknown> => c.stop({ remove: true });
