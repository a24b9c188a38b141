import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/** A port on 127.0.0.1 held by a server of this process until it is released. */
export async function holdPort(port = 0): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { port: (server.address() as { port: number }).port, server };
}
export const releasePort = (server: Server) => new Promise<void>((r) => server.close(() => r()));

/** The kernel's ephemeral range: where listen(0) and Docker's own published ports come from. */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

const handedOut = new Set<number>();

/**
 * A free port on 127.0.0.1, found, then released for compose, a lab or a registry to publish. It is
 * taken below the ephemeral range: a port from listen(0) could be handed by the kernel to one of the
 * containers other tests start side by side before the caller publishes it ("port is already allocated").
 */
export async function freePort(): Promise<number> {
  const low = 20000;
  const high = Math.max(low + 1000, ephemeralLow());
  for (let tries = 0; tries < 200; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    const held = await holdPort(port).catch(() => undefined);
    if (!held) continue;
    handedOut.add(port);
    await releasePort(held.server);
    return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${low} and ${high}`);
}
