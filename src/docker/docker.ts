import { connect } from 'node:net';
import type Dockerode from 'dockerode';
import { getContainerRuntimeClient } from 'testcontainers';
import { UserError } from '../base/user-error.ts';
import { gateEngine } from './engine-gate.ts';

// Ryuk (testcontainers' reaper) needs an image from a registry, which air-gapped hosts cannot pull;
// the project cleans up by label itself (see cleanup.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

// Ports are published on 127.0.0.1 only (loopback-container.ts), so a local engine's containers are
// reached on loopback. Without this, testcontainers run inside a container (/.dockerenv exists, as on
// CI machines) uses the bridge gateway's address, where nothing listens, and every wait times out.
if (isLocalEngine(process.env.DOCKER_HOST)) process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';

function isLocalEngine(host: string | undefined): boolean {
  return !host || host.startsWith('unix://') || host.startsWith('npipe://');
}

class DockerUnavailableError extends UserError {
  constructor(cause: unknown) {
    super(
      `No Docker engine answers${process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : ''}. ` +
        'Start one (for example `dockerd &` as root, or `bash containers/host/install-engine.sh` on Debian), ' +
        'or point DOCKER_HOST at a running engine, then run again.',
      { cause },
    );
    this.name = 'DockerUnavailableError';
  }
}

let dockerode: Promise<Dockerode> | undefined;

/** Whether something listens at a DOCKER_HOST address (unix:// or tcp://). */
function listens(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const url = new URL(host);
    const socket = url.protocol === 'unix:' ? connect({ path: url.pathname }) : connect({ host: url.hostname, port: Number(url.port || 2375) });
    socket.setTimeout(3000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

/**
 * The engine testcontainers talks to, as a dockerode client, with a clear error when there is none.
 * A DOCKER_HOST that does not answer is an error, not a reason to fall back to another engine.
 */
export function docker(): Promise<Dockerode> {
  dockerode ??= connectEngine().catch((err: unknown) => {
    dockerode = undefined;
    throw new DockerUnavailableError(err);
  });
  return dockerode;
}

async function connectEngine(): Promise<Dockerode> {
  const host = process.env.DOCKER_HOST;
  if (host && /^(unix|tcp):\/\//.test(host) && !(await listens(host))) throw new Error(`DOCKER_HOST=${host} does not answer`);
  // testcontainers shares this client among all its starts: gated here, every create of the process is.
  return gateEngine((await getContainerRuntimeClient()).container.dockerode);
}

/** Whether the engine answers a ping within 3 s. */
export async function engineAnswers(): Promise<boolean> {
  const ping = (async () => (await docker()).ping())().then(
    () => true,
    () => false,
  );
  return Promise.race([ping, new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref())]);
}

export class EngineGoneError extends UserError {
  constructor() {
    super(
      'The Docker engine stopped answering during the run; what was running could not be removed. Start the engine again, then run `authlab sweep` and run again.',
    );
    this.name = 'EngineGoneError';
  }

  // Calls to an engine that went away may never settle: the CLI ends at once.
  override readonly endsProcess = true;
}

/**
 * Watches the engine during a run: `gone` rejects once it has not answered a ping `misses` times in
 * a row, so a run whose engine went away ends with one clear error instead of waiting out every
 * start timeout.
 */
export function watchEngine(opts: { intervalMs?: number; misses?: number } = {}): { gone: Promise<never>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let missed = 0;
  const gone = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      void engineAnswers().then((ok) => {
        missed = ok ? 0 : missed + 1;
        if (missed >= (opts.misses ?? 2)) {
          clearInterval(timer);
          reject(new EngineGoneError());
        }
      });
    }, opts.intervalMs ?? 5000);
    timer.unref();
  });
  gone.catch(() => undefined);
  return { gone, stop: () => clearInterval(timer) };
}
