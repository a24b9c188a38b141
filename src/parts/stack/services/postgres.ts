import { PostgresContainer, type StartedPostgresContainer } from '../postgres-container.ts';
import type { StackSpec } from '../stack-spec.ts';
import { removeContainer, type StackService } from './stack-service.ts';

const needsPostgres = (spec: StackSpec): boolean => spec.database === 'postgres' || spec.queue !== undefined;

/** n8n's database when the spec asks for PostgreSQL, and always in queue mode (workers share it with the main). */
export const postgresService: StackService<StartedPostgresContainer> = {
  describe: () => 'PostgreSQL',
  neededBy: needsPostgres,
  images: () => ['postgres'],
  start: (ctx) => new PostgresContainer(ctx.image('postgres'), ctx.spec.name).withStackNetwork(ctx.network).start(),
  n8nEnv: (postgres) => postgres.n8nEnv(),
  stop: removeContainer,
};
