import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { registerSecret } from '../../base/secrets.ts';
import { FAKETIME_LIBRARY } from '../images/layer-image.ts';
import { recordBoot } from './boot-log.ts';
import { LogBuffer } from './log-buffer.ts';
import { LoopbackContainer, loopbackUrl } from './loopback-container.ts';
import { createDataVolume, removeVolume } from './n8n-data-volume.ts';
import { N8N_DATA_DIR, N8N_PORT, type N8nContainerSettings, type N8nLogLevel, type N8nReplacement } from './n8n-settings.ts';
import { N8nStartError } from './n8n-start-error.ts';
import { ExitRecordingWait, InOrderWait, UntilExitWait } from './n8n-wait.ts';

export { createDataVolume, removeVolume } from './n8n-data-volume.ts';
export { N8N_DATA_DIR, N8N_PORT, type N8nContainerSettings, type N8nLogLevel, type N8nReplacement } from './n8n-settings.ts';
export { N8nStartError } from './n8n-start-error.ts';

const READY_LINE = 'Editor is now accessible via';
const WORKER_READY_LINE = 'n8n worker is now ready';
const STARTUP_TIMEOUT_MS = 240_000;
const LOG_LINES_ON_FAILURE = 40;

/** n8n calls home unless told not to; the project's stacks never reach outside their network. */
const OFFLINE_ENV: Readonly<Record<string, string>> = {
  N8N_DIAGNOSTICS_ENABLED: 'false',
  N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
  N8N_TEMPLATES_ENABLED: 'false',
  N8N_DYNAMIC_BANNERS_ENABLED: 'false',
  N8N_PERSONALIZATION_ENABLED: 'false',
  N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
  EXTERNAL_FRONTEND_HOOKS_URLS: '',
  N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
};

let boots = 0;
/** How many n8n containers this process started successfully (the bench reports it). */
export function n8nBootCount(): number {
  return boots;
}

/**
 * n8n in a container: ready once `/healthz/readiness` answers 200 and the editor line is logged
 * (readiness can come slightly before the public API is mounted; n8n's own harness waits for both).
 * Its `/home/node/.n8n` lives in a named volume, so the container can be replaced over the same data.
 */
export class N8nContainer extends LoopbackContainer {
  private readonly settings: N8nContainerSettings;

  constructor(image: string, version: string, stack?: string) {
    super(image, stack);
    this.settings = { image, version, env: {}, logLevel: 'info', stack, role: 'main' };
    this.withExposedPorts(N8N_PORT).withStartupTimeout(STARTUP_TIMEOUT_MS);
  }

  /** A queue-mode worker (`n8n worker`): no editor, ready when it says so. */
  asWorker(): this {
    this.settings.role = 'worker';
    return this;
  }

  /** A file in the container before n8n starts, owned by the node user (a .env in its working folder, a key file). */
  withFile(path: string, content: string): this {
    this.settings.files = [...(this.settings.files ?? []).filter((f) => f.path !== path), { path, content }];
    return this;
  }

  withN8nEnv(env: Record<string, string>): this {
    this.settings.env = { ...this.settings.env, ...env };
    return this;
  }

  withEncryptionKey(key: string): this {
    this.settings.encryptionKey = registerSecret(key, 'encryption-key');
    return this;
  }

  withLogLevel(level: N8nLogLevel): this {
    this.settings.logLevel = level;
    return this;
  }

  /**
   * Runs n8n with its wall clock shifted (libfaketime; the image must have the faketime layer, resolveLayerImage).
   * @example withClockOffset('+7m') // the guide's section C: a clock 7 minutes ahead
   */
  withClockOffset(offset: string | undefined): this {
    this.settings.clockOffset = offset;
    return this;
  }

  withStackNetwork(network: StartedNetwork, alias: string): this {
    this.settings.network = network;
    this.settings.alias = alias;
    return this;
  }

  /** Ready once n8n has exited rather than once it serves: a fault that stops n8n, left as a stopped container to read. */
  private untilExit = false;

  expectingExit(): this {
    this.untilExit = true;
    return this;
  }

  /** Mounts an existing volume as the n8n data folder (to start over another container's data). */
  withDataVolume(volume: string): this {
    this.settings.dataVolume = volume;
    return this;
  }

  override async start(): Promise<StartedN8nContainer> {
    const s = this.settings;
    const startedAt = Date.now();
    const ownsVolume = s.dataVolume === undefined;
    const volume = s.dataVolume ?? (await createDataVolume(s.stack));
    const logs = new LogBuffer();
    // The log line first: its wait fails as soon as n8n exits (the log stream ends), before any HTTP polling starts.
    const ready =
      s.role === 'worker'
        ? Wait.forLogMessage(WORKER_READY_LINE)
        : new InOrderWait([Wait.forLogMessage(READY_LINE), Wait.forHttp('/healthz/readiness', N8N_PORT).forStatusCode(200)]);
    const wait = new ExitRecordingWait(this.untilExit ? new UntilExitWait() : ready);
    this.withWaitStrategy(wait);
    if (s.role === 'worker') this.withCommand(['worker']);
    if (s.files?.length) this.withCopyContentToContainer(s.files.map((f) => ({ content: f.content, target: f.path, mode: 0o644 })));
    this.withEnvironment({
      ...OFFLINE_ENV,
      N8N_LOG_LEVEL: s.logLevel,
      N8N_LOG_OUTPUT: 'console',
      // n8n's default; a database service's env (DB_TYPE=postgresdb, ...) replaces it.
      DB_TYPE: 'sqlite',
      ...(s.clockOffset ? { LD_PRELOAD: FAKETIME_LIBRARY, FAKETIME: s.clockOffset, FAKETIME_DONT_FAKE_MONOTONIC: '1' } : {}),
      ...(s.encryptionKey ? { N8N_ENCRYPTION_KEY: s.encryptionKey } : {}),
      ...s.env,
    })
      .withBindMounts([{ source: volume, target: N8N_DATA_DIR, mode: 'rw' }])
      .withLogConsumer((stream) => logs.attach(stream));
    if (s.network) this.withNetwork(s.network).withNetworkAliases(s.alias ?? 'n8n');
    try {
      const started = await super.start();
      if (!this.untilExit) boots++;
      if (!this.untilExit) recordBoot(started, { ...s, startedAt, start: ownsVolume ? 'fresh' : 'replacement' });
      return new StartedN8nContainer(started, { ...s, dataVolume: volume }, logs, ownsVolume);
    } catch (err) {
      await new Promise((r) => setTimeout(r, 200)); // let the last lines of a dying container arrive
      if (ownsVolume) await removeVolume(volume);
      throw new N8nStartError({ ...s, ...(ownsVolume ? {} : { dataVolume: volume }) }, err, logs.tail(LOG_LINES_ON_FAILURE), wait.exit);
    }
  }
}

/** An n8n container for the given settings with a change applied, over the same data unless `freshData`. */
export function replacementFor(s: Readonly<N8nContainerSettings>, change: N8nReplacement): N8nContainer {
  const env = { ...s.env, ...change.env };
  for (const name of change.unset ?? []) delete env[name];
  const next = new N8nContainer(change.image ?? s.image, change.version ?? s.version, s.stack)
    .withN8nEnv(env)
    .withLogLevel(s.logLevel)
    .withClockOffset(change.clockOffset === undefined ? s.clockOffset : (change.clockOffset ?? undefined));
  if (!change.freshData && s.dataVolume) next.withDataVolume(s.dataVolume);
  const key = change.encryptionKey === undefined ? s.encryptionKey : change.encryptionKey;
  if (key) next.withEncryptionKey(key);
  if (s.network) next.withStackNetwork(s.network, s.alias ?? 'n8n');
  if (s.role === 'worker') next.asWorker();
  for (const f of [...(s.files ?? []), ...(change.files ?? [])]) next.withFile(f.path, f.content);
  return next;
}

export class StartedN8nContainer extends AbstractStartedContainer {
  readonly settings: Readonly<N8nContainerSettings & { dataVolume: string }>;
  /** Everything n8n printed since start, line by line. */
  readonly logLines: LogBuffer;
  private ownsVolume: boolean;

  constructor(started: StartedTestContainer, settings: Readonly<N8nContainerSettings & { dataVolume: string }>, logLines: LogBuffer, ownsVolume: boolean) {
    super(started);
    this.settings = settings;
    this.logLines = logLines;
    this.ownsVolume = ownsVolume;
  }

  get version(): string {
    return this.settings.version;
  }

  /** The URL on the host; ports are published on 127.0.0.1 only, so "localhost" is pinned to it. */
  getBaseUrl(): string {
    return loopbackUrl(this, N8N_PORT);
  }

  /** The URL other containers on the stack network use. */
  getInternalUrl(): string {
    return `http://${this.settings.alias ?? this.getHostname()}:${N8N_PORT}`;
  }

  getDataVolume(): string {
    return this.settings.dataVolume;
  }

  /**
   * Stops this container and starts another over the same data volume (new env, new image):
   * what `docker compose up` does after an edit, or an upgrade does.
   */
  async replace(change: N8nReplacement = {}): Promise<StartedN8nContainer> {
    const next = replacementFor(this.settings, change);
    // The volume outlives this container: it is the point of replacing. After a failed start it is
    // kept for another try (N8nStartError.settings); the run's sweep removes it in the end.
    const ownsVolume = this.ownsVolume && !change.freshData;
    this.ownsVolume = false;
    await this.stop({ remove: true });
    const started = await next.start();
    started.ownsVolume ||= ownsVolume;
    return started;
  }

  /**
   * `docker restart`: the same container, so the same env it was created with; n8n's process
   * starts again and reads its files (a .env in its working folder) again.
   */
  override async restart(): Promise<void> {
    const mark = this.logLines.mark();
    const since = Math.floor(Date.now() / 1000);
    const startedAt = Date.now();
    await super.restart({ timeout: 10_000 });
    // The followed log stream ended with the old process; follow the new one.
    this.logLines.attach(await this.logs({ since }));
    if (await this.waitUntilServing(mark, 5000)) recordBoot(this, { ...this.settings, startedAt, start: 'restart' });
  }

  /**
   * After n8n's process restarted inside this container (docker restart, pm2): true once it logged
   * its ready line after `mark` and, for a main, `/healthz/readiness` answers 200.
   */
  async waitUntilServing(mark: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const line = await this.logLines.waitFor(new RegExp(this.settings.role === 'worker' ? WORKER_READY_LINE : READY_LINE), mark, timeoutMs);
    if (!line) return false;
    if (this.settings.role === 'worker') return true;
    while (Date.now() < deadline) {
      const status = await fetch(`${this.getBaseUrl()}/healthz/readiness`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  }

  protected override async containerStopped(): Promise<void> {
    if (this.ownsVolume) await removeVolume(this.settings.dataVolume);
  }
}
