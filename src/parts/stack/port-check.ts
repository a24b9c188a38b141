import { Wait } from 'testcontainers';
import { LoopbackContainer, loopbackUrl } from './loopback-container.ts';
import { UserError } from '../../base/user-error.ts';

const PROBE_PORT = 8080;
const PROBE_TIMEOUT_MS = 30_000;

class PublishedPortUnreachableError extends UserError {
  constructor(host: string, cause: unknown) {
    super(
      `Containers start, but a port they publish on 127.0.0.1 does not answer at ${host}. ` +
        'Run the tests on the machine whose Docker engine starts the containers; if the engine is elsewhere, ' +
        'set TESTCONTAINERS_HOST_OVERRIDE to the address where its published ports are reachable.',
      { cause },
    );
    this.name = 'PublishedPortUnreachableError';
  }
}

/**
 * Starts a throwaway HTTP server from an image that has Node (any n8n image) and reaches it
 * through its published port: a few seconds here instead of a start timeout for every stack.
 */
export async function assertPublishedPortsReachable(imageWithNode: string): Promise<void> {
  const container = new LoopbackContainer(imageWithNode, 'port-check')
    .withEntrypoint(['node'])
    .withCommand(['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${PROBE_PORT})`])
    .withExposedPorts(PROBE_PORT)
    .withWaitStrategy(Wait.forHttp('/', PROBE_PORT).forStatusCode(200))
    .withStartupTimeout(PROBE_TIMEOUT_MS);
  let host = 'the host testcontainers chose';
  try {
    const started = await container.start();
    host = loopbackUrl(started, PROBE_PORT);
    await started.stop({ timeout: 0 });
  } catch (err) {
    throw new PublishedPortUnreachableError(process.env.TESTCONTAINERS_HOST_OVERRIDE ?? host, err);
  }
}
