import { randomBytes } from 'node:crypto';
import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { registerSecret } from '../../base/secrets.ts';
import { LoopbackContainer } from './loopback-container.ts';

const POSTGRES_PORT = 5432;

/**
 * PostgreSQL for n8n, on the stack network (official image or the offline build, which takes the
 * same settings). Its data lives in the container, so it outlives every n8n container of the stack.
 */
export class PostgresContainer extends LoopbackContainer {
  private readonly database = 'n8n';
  private readonly user = 'n8n';
  private readonly password = registerSecret(randomBytes(12).toString('hex'), 'password');
  private alias = 'postgres';

  constructor(image: string, stack?: string) {
    super(image, stack);
    this.withEnvironment({ POSTGRES_USER: this.user, POSTGRES_PASSWORD: this.password, POSTGRES_DB: this.database })
      .withExposedPorts(POSTGRES_PORT)
      // Over TCP, so the official image's first-run server (unix socket only) does not count as ready.
      .withWaitStrategy(Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -p ${POSTGRES_PORT} -U ${this.user} -d ${this.database}`))
      .withStartupTimeout(90_000);
  }

  withStackNetwork(network: StartedNetwork, alias = 'postgres'): this {
    this.alias = alias;
    return this.withNetwork(network).withNetworkAliases(alias);
  }

  override async start(): Promise<StartedPostgresContainer> {
    return new StartedPostgresContainer(await super.start(), { host: this.alias, database: this.database, user: this.user, password: this.password });
  }
}

interface PostgresLogin {
  /** The server's alias on the stack network. */
  host: string;
  database: string;
  user: string;
  password: string;
}

export class StartedPostgresContainer extends AbstractStartedContainer {
  private readonly login: PostgresLogin;

  constructor(started: StartedTestContainer, login: PostgresLogin) {
    super(started);
    this.login = login;
  }

  /** The env that makes an n8n main or worker use this server from the stack network. */
  n8nEnv(): Record<string, string> {
    return {
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: this.login.host,
      DB_POSTGRESDB_PORT: String(POSTGRES_PORT),
      DB_POSTGRESDB_DATABASE: this.login.database,
      DB_POSTGRESDB_USER: this.login.user,
      DB_POSTGRESDB_PASSWORD: this.login.password,
    };
  }

  /** Runs SQL in n8n's database with psql inside the container; returns psql's unaligned output. */
  async query(sql: string): Promise<string> {
    const { exitCode, output } = await this.exec(['psql', '-v', 'ON_ERROR_STOP=1', '-At', '-U', this.login.user, '-d', this.login.database, '-c', sql]);
    if (exitCode !== 0) throw new Error(`psql failed (${exitCode}): ${output.trim()}`);
    return output.trim();
  }
}
