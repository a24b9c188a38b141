import { createServer } from 'node:net';
import { UserError } from '../../base/user-error.ts';

/** A host port someone asked for (`--port`) that this machine cannot give. */
class HostPortError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'HostPortError';
  }
}

/** Parses a `--port` value: a whole number from 1 to 65535. */
export function parseHostPort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new HostPortError(`--port takes a port number from 1 to 65535, not "${value}"`);
  return port;
}

/**
 * Fails at once, before any container starts, when 127.0.0.1:<port> is taken (by another program
 * or by a container that publishes it) or not ours to bind.
 */
export async function assertLoopbackPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HostPortError(
          err.code === 'EADDRINUSE'
            ? `port ${port} on 127.0.0.1 is in use by another program or container; pick another with --port, or stop what listens there`
            : `port ${port} on 127.0.0.1 cannot be bound (${err.code ?? err.message}); pick another with --port`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** The engine's own words when a published port was taken between the check and the start. */
export const PORT_TAKEN_BY_ENGINE = /port is already allocated|address already in use/i;
