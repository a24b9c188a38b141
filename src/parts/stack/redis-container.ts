import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { LoopbackContainer } from './loopback-container.ts';

const REDIS_PORT = 6379;

/** Redis for n8n's queue mode (the Bull queue between main and workers), on the stack network. */
export class RedisContainer extends LoopbackContainer {
  private alias = 'redis';

  constructor(image: string, stack?: string) {
    super(image, stack);
    this.withExposedPorts(REDIS_PORT).withWaitStrategy(Wait.forSuccessfulCommand('redis-cli ping')).withStartupTimeout(60_000);
  }

  withStackNetwork(network: StartedNetwork, alias = 'redis'): this {
    this.alias = alias;
    return this.withNetwork(network).withNetworkAliases(alias);
  }

  override async start(): Promise<StartedRedisContainer> {
    return new StartedRedisContainer(await super.start(), this.alias);
  }
}

export class StartedRedisContainer extends AbstractStartedContainer {
  readonly alias: string;

  constructor(started: StartedTestContainer, alias: string) {
    super(started);
    this.alias = alias;
  }

  /** The env that puts an n8n main or worker in queue mode over this Redis. */
  queueEnv(): Record<string, string> {
    return { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: this.alias, QUEUE_BULL_REDIS_PORT: String(REDIS_PORT) };
  }
}
