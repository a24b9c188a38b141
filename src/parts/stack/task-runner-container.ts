import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { CONTAINERS_DIR } from '../images/paths.ts';
import { registerSecret } from '../../base/secrets.ts';
import { LogBuffer } from './log-buffer.ts';
import { LoopbackContainer } from './loopback-container.ts';

/** The broker's port and the runners' alias on the stack network. */
export const TASK_BROKER_PORT = 5679;
export const TASK_RUNNER_ALIAS = 'task-runners';
const LAUNCH_SCRIPT = '/authlab/launch.cjs';
/** Where n8n's image has its JS task runner (a dependency of n8n, hoisted). */
export const RUNNER_PACKAGE = '/usr/local/lib/n8n/node_modules/@n8n/task-runner';
/** The JSON line the launch script prints for each answer of the broker. */
const EXCHANGE_PREFIX = '{"brokerExchange":';
/** What n8n's broker logs when a runner connects (1.x and 2.x alike). */
export const RUNNER_REGISTERED = /Registered runner "([^"]*)" \(([^)]*)\)/;

/** A token for n8n's task broker and its runners, registered as a secret so it is masked in every report. */
export function newRunnerAuthToken(): string {
  return registerSecret(randomBytes(24).toString('hex'), 'secret');
}

/** The env that puts n8n's broker in external mode, listening on the stack network, with this auth token. */
export function externalRunnersEnv(authToken: string): Record<string, string> {
  return {
    // n8n 1.x runs Code nodes in its own process unless told otherwise; 2.x warns that it is safe to remove.
    N8N_RUNNERS_ENABLED: 'true',
    N8N_RUNNERS_MODE: 'external',
    N8N_RUNNERS_AUTH_TOKEN: authToken,
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '0.0.0.0',
  };
}

/** One answer of the broker to the launcher's token exchange, as the launch script printed it. */
export interface BrokerExchange {
  method: string;
  url: string;
  requestBody: unknown;
  status?: number;
  body?: string;
  error?: string;
}

/** Where a runner runs and what it connects with. */
export interface TaskRunnerSettings {
  /** An n8n image: the runner is the `@n8n/task-runner` inside it. */
  image: string;
  authToken: string;
  network: StartedNetwork;
  /** n8n's alias on the stack network: the broker listens there. */
  brokerHost: string;
  stack?: string;
}

/**
 * n8n's JS task runner (`@n8n/task-runner`, already inside the n8n image: no image of its own) in
 * its own container on the stack network, started as n8n's task-runner-launcher starts it: the auth
 * token exchanged with the broker for a grant token first (containers/task-runner/launch.cjs; the
 * launcher binary comes from GitHub releases, which cannot be had here). Ready once the broker
 * answered the first exchange, whatever it answered.
 */
export class TaskRunnerContainer extends LoopbackContainer {
  private readonly settings: TaskRunnerSettings;

  constructor(settings: TaskRunnerSettings) {
    super(settings.image, settings.stack);
    this.settings = settings;
    this.withEntrypoint(['node', LAUNCH_SCRIPT])
      .withEnvironment({
        N8N_RUNNERS_AUTH_TOKEN: settings.authToken,
        N8N_RUNNERS_TASK_BROKER_URI: brokerUriOf(settings),
        N8N_RUNNERS_AUTO_SHUTDOWN_TIMEOUT: '0',
        N8N_RUNNERS_MAX_CONCURRENCY: '5',
        AUTHLAB_RUNNER_ENTRY: `${RUNNER_PACKAGE}/dist/start.js`,
      })
      .withNetwork(settings.network)
      .withNetworkAliases(TASK_RUNNER_ALIAS)
      .withWaitStrategy(Wait.forLogMessage(EXCHANGE_PREFIX))
      .withStartupTimeout(120_000);
  }

  override async start(): Promise<StartedTaskRunnerContainer> {
    const logs = new LogBuffer();
    const script = await readFile(join(CONTAINERS_DIR, 'task-runner', 'launch.cjs'), 'utf8');
    this.withCopyContentToContainer([{ content: script, target: LAUNCH_SCRIPT }]).withLogConsumer((s) => logs.attach(s));
    try {
      return new StartedTaskRunnerContainer(await super.start(), logs, this.settings);
    } catch (err) {
      throw new Error(`the task runner did not start; its last log lines:\n${logs.tail(20).join('\n')}`, { cause: err });
    }
  }
}

const brokerUriOf = (s: Pick<TaskRunnerSettings, 'brokerHost'>) => `http://${s.brokerHost}:${TASK_BROKER_PORT}`;

export class StartedTaskRunnerContainer extends AbstractStartedContainer {
  /** Everything the launch script and the runner printed, line by line. */
  readonly logLines: LogBuffer;
  readonly settings: Readonly<TaskRunnerSettings>;

  constructor(started: StartedTestContainer, logs: LogBuffer, settings: TaskRunnerSettings) {
    super(started);
    this.logLines = logs;
    this.settings = settings;
  }

  get brokerUri(): string {
    return brokerUriOf(this.settings);
  }

  /** The broker's answers to the token exchange since `mark`. */
  brokerExchanges(mark = 0): BrokerExchange[] {
    return this.logLines
      .since(mark)
      .filter((l) => l.startsWith(EXCHANGE_PREFIX))
      .map((l) => (JSON.parse(l) as { brokerExchange: BrokerExchange }).brokerExchange);
  }

  /** Its log without the exchange records (those are shown as exchanges of their own). */
  said(mark = 0): string[] {
    return this.logLines.since(mark).filter((l) => !l.startsWith(EXCHANGE_PREFIX));
  }

  /** Stops this runner and starts another in its place with another auth token (or the same). */
  async replace(authToken: string): Promise<StartedTaskRunnerContainer> {
    await this.stop({ remove: true });
    return new TaskRunnerContainer({ ...this.settings, authToken }).start();
  }
}
