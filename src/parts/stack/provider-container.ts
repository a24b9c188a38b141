import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { PACKAGE_ROOT } from '../images/paths.ts';
import type { ProviderName } from '../providers/catalog.ts';
import { PROVIDER_PORT, PROVIDER_READY_LINE, PROVIDER_RECORD_PREFIX, type ProviderRecord } from '../providers/types.ts';
import { LogBuffer } from './log-buffer.ts';
import { LoopbackContainer } from './loopback-container.ts';

const APP_DIR = '/authlab/app';
const MODULES_DIR = '/authlab/node_modules';

/** serve.ts from a checkout (Node strips the types), serve.js from the built package. */
function serveFile(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), '..', 'providers', `serve${extname(here)}`);
}

/** serve's path where the package is mounted in the providers' container. */
function serveEntry(): string {
  return `${APP_DIR}/${relative(PACKAGE_ROOT, serveFile()).split(sep).join('/')}`;
}

/** The node_modules folder msw is installed in (the package's own, or a consumer's hoisted one). */
function modulesDir(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('msw/package.json'));
  while (!dir.endsWith(`${sep}node_modules`)) dir = dirname(dir);
  return dir;
}

/** How a container with Node.js runs the mock providers: this package (and its node_modules) mounted read-only, serve.ts as entrypoint. */
export function providerProcess(): { entrypoint: string[]; mounts: Array<{ source: string; target: string }> } {
  const mounts = [{ source: PACKAGE_ROOT, target: APP_DIR }];
  const modules = modulesDir();
  // A consumer's hoisted node_modules, or a symlinked one (a git worktree), is not inside the package mount.
  if (modules !== join(PACKAGE_ROOT, 'node_modules')) mounts.push({ source: modules, target: MODULES_DIR });
  return { entrypoint: ['node', '--no-warnings', serveEntry()], mounts };
}

/**
 * The container this process runs in, when it is authlab's own image (containers/authlab/authlab.sh
 * sets it): a bind mount's source is a path on the engine's host, where this package does not exist,
 * so the providers' container takes the package from that container's volume, at the same path.
 */
const PACKAGE_CONTAINER = process.env.AUTHLAB_PACKAGE_CONTAINER;

/**
 * Mock third-party APIs (msw handlers, src/parts/providers/) served over real HTTP on the stack's
 * network, run by the Node.js of the n8n image with this package mounted read-only: n8n's own
 * nodes call them by name, and each request is recorded with the exact headers n8n sent.
 */
export class ProviderContainer extends LoopbackContainer {
  constructor(imageWithNode: string, providers: ProviderName[], stack?: string) {
    super(imageWithNode, stack);
    const { entrypoint, mounts } = providerProcess();
    if (PACKAGE_CONTAINER) this.withEntrypoint(['node', '--no-warnings', serveFile()]);
    else this.withEntrypoint(entrypoint).withBindMounts(mounts.map((m) => ({ ...m, mode: 'ro' as const })));
    this.withEnvironment({ PROVIDERS: providers.join(',') })
      .withExposedPorts(PROVIDER_PORT)
      .withWaitStrategy(Wait.forLogMessage(PROVIDER_READY_LINE))
      .withStartupTimeout(30_000);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    await super.beforeContainerCreated();
    if (PACKAGE_CONTAINER) this.hostConfig.VolumesFrom = [`${PACKAGE_CONTAINER}:ro`];
  }

  withStackNetwork(network: StartedNetwork, aliases: string[]): this {
    return this.withNetwork(network).withNetworkAliases(...aliases);
  }

  /** Provider settings (shared secrets, plans); registered as secrets by the caller. */
  withProviderEnv(env: Record<string, string>): this {
    return this.withEnvironment(env);
  }

  override async start(): Promise<StartedProviderContainer> {
    const logs = new LogBuffer();
    this.withLogConsumer((s) => logs.attach(s));
    try {
      return new StartedProviderContainer(await super.start(), logs);
    } catch (err) {
      throw new Error(`the mock providers did not start; their last log lines:\n${logs.tail(20).join('\n')}`, { cause: err });
    }
  }
}

export class StartedProviderContainer extends AbstractStartedContainer {
  private readonly logLines: LogBuffer;

  constructor(started: StartedTestContainer, logs: LogBuffer) {
    super(started);
    this.logLines = logs;
  }

  mark(): number {
    return this.logLines.mark();
  }

  /**
   * A mark taken once the log has been quiet for a moment: a request made just before (a
   * credential test) reaches the log a little later, and would otherwise count as after the mark.
   */
  async settledMark(quietMs = 400, maxMs = 2000): Promise<number> {
    const deadline = Date.now() + maxMs;
    let seen = this.logLines.mark();
    for (;;) {
      await new Promise((r) => setTimeout(r, quietMs));
      const now = this.logLines.mark();
      if (now === seen || Date.now() >= deadline) return now;
      seen = now;
    }
  }

  /** The requests the providers received since `mark` (waits briefly for the log to arrive). */
  async recordsSince(mark: number, provider?: string): Promise<ProviderRecord[]> {
    await this.logLines.waitFor(/^\{"providerRecord":/, mark, 1500);
    return this.logLines
      .since(mark)
      .filter((l) => l.startsWith(PROVIDER_RECORD_PREFIX))
      .map((l) => JSON.parse(l.slice(PROVIDER_RECORD_PREFIX.length, -1)) as ProviderRecord)
      .filter((r) => provider === undefined || r.provider === provider);
  }

  /** The provider as n8n reaches it on the stack network. */
  static internalUrl(provider: string): string {
    return `http://${provider}:${PROVIDER_PORT}`;
  }

  lastLogLines(count = 20): string[] {
    return this.logLines.tail(count);
  }
}
