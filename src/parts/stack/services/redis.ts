import { RedisContainer, type StartedRedisContainer } from '../redis-container.ts';
import { removeContainer, type StackService } from './stack-service.ts';

/** The Bull queue between the main and its workers, in queue mode. */
export const redisService: StackService<StartedRedisContainer> = {
  describe: () => 'Redis for queue mode',
  neededBy: (spec) => spec.queue !== undefined,
  images: () => ['redis'],
  start: (ctx) => new RedisContainer(ctx.image('redis'), ctx.spec.name).withStackNetwork(ctx.network).start(),
  n8nEnv: (redis) => redis.queueEnv(),
  stop: removeContainer,
};
