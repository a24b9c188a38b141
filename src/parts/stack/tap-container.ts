import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { CONTAINERS_DIR } from '../images/paths.ts';
import { LogBuffer } from './log-buffer.ts';
import { LoopbackContainer } from './loopback-container.ts';

const TAP_PORT = 5678;

/** One request as it reached n8n: the exact header names and values the proxy sent. */
interface TappedRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
}

/**
 * A recording tap in front of n8n, run with the Node.js of the n8n image (no extra image):
 * it logs each request's exact headers and forwards it unchanged. It takes the alias the proxy
 * targets, so the proxy's config reads like a user's (`proxy_pass http://n8n:5678`).
 */
export class TapContainer extends LoopbackContainer {
  constructor(n8nImage: string, upstream: string, stack?: string) {
    super(n8nImage, stack);
    this.withEntrypoint(['node', '/tap.cjs'])
      .withEnvironment({ PORT: String(TAP_PORT), UPSTREAM: upstream })
      .withWaitStrategy(Wait.forLogMessage('tap listening'))
      .withStartupTimeout(30_000);
  }

  withStackNetwork(network: StartedNetwork, alias: string): this {
    return this.withNetwork(network).withNetworkAliases(alias);
  }

  override async start(): Promise<StartedTapContainer> {
    const logs = new LogBuffer();
    const script = await readFile(join(CONTAINERS_DIR, 'tap', 'tap.cjs'), 'utf8');
    this.withCopyContentToContainer([{ content: script, target: '/tap.cjs' }]).withLogConsumer((s) => logs.attach(s));
    return new StartedTapContainer(await super.start(), logs);
  }
}

export class StartedTapContainer extends AbstractStartedContainer {
  readonly logLines: LogBuffer;

  constructor(started: StartedTestContainer, logLines: LogBuffer) {
    super(started);
    this.logLines = logLines;
  }

  mark(): number {
    return this.logLines.mark();
  }

  /** The requests that reached n8n since `mark` (waits briefly for the log to arrive). */
  async requestsSince(mark: number): Promise<TappedRequest[]> {
    await this.logLines.waitFor(/^\{"tap":1/, mark, 1500);
    return this.logLines
      .since(mark)
      .filter((l) => l.startsWith('{"tap":1'))
      .map((l) => JSON.parse(l) as TappedRequest);
  }
}
