import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { freePort, holdPort, releasePort } from '../support/free-port.ts';

describe('freePort: a port for compose or a lab to publish later', () => {
  test('is below the ephemeral range (where Docker publishes the ports other tests ask for), bindable, and never handed out twice', async () => {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20000);
      expect(port).toBeLessThan(low);
      const held = await holdPort(port);
      await releasePort(held.server);
    }
  });
});
