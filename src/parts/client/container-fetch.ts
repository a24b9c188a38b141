import type { StartedTestContainer } from 'testcontainers';
import { record, type Exchange } from './exchange.ts';

/** A container with Node.js on a stack network (the tap's, n8n's): a client with an address of its own there. */
export type NodeContainer = Pick<StartedTestContainer, 'exec'>;

/** A GET in Node.js, printing one JSON line: the status and body, or the error. */
const CLIENT = `const [url, headers] = [process.argv[1], JSON.parse(process.argv[2])];
fetch(url, { headers }).then(async (r) => console.log(JSON.stringify({ status: r.status, body: (await r.text()).slice(0, 2000) })))
  .catch((e) => console.log(JSON.stringify({ error: String(e.cause ?? e) })));`;

const RESOLVE = `require('node:dns').lookup(process.argv[1], { family: 4 }, (e, a) => console.log(e ? 'error: ' + e.code : a));`;

/** The default route's gateway from the kernel's table (hex, little-endian), as a dotted IPv4 address. */
const GATEWAY = `const row = require('node:fs').readFileSync('/proc/net/route', 'utf8').split('\\n').map((l) => l.trim().split(/\\s+/)).find((c) => c[1] === '00000000');
console.log(row ? Buffer.from(row[2], 'hex').reverse().join('.') : 'error: no default route');`;

/** A GET from inside a container: the request leaves from that container's own address on its network. */
export async function fetchFrom(container: NodeContainer, label: string, url: string, headers: Array<[string, string]> = []): Promise<Exchange> {
  const { output } = await container.exec(['node', '-e', CLIENT, url, JSON.stringify(Object.fromEntries(headers))]);
  const answer = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { status?: number; body?: string; error?: string };
  const request = { method: 'GET', url, headers };
  if (answer.status === undefined) return record({ label, via: 'node-process', request, error: answer.error ?? output.slice(0, 200) });
  return record({ label, via: 'node-process', request, response: { status: answer.status, body: answer.body ?? '' } });
}

/** A name's IPv4 address on the network, as a container resolves it. */
export async function addressFrom(container: NodeContainer, name: string): Promise<string> {
  const { output } = await container.exec(['node', '-e', RESOLVE, name]);
  const address = output.trim().split('\n').at(-1) ?? '';
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address)) throw new Error(`could not resolve ${name} on the stack network: ${address}`);
  return address;
}

/**
 * A container's default gateway on its bridge network: the host's own address there, which a
 * container sees a request from the host come from (through a port Docker publishes on loopback).
 */
export async function gatewayFrom(container: NodeContainer): Promise<string> {
  const { output } = await container.exec(['node', '-e', GATEWAY]);
  const address = output.trim().split('\n').at(-1) ?? '';
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address)) throw new Error(`could not read the container's default gateway: ${address}`);
  return address;
}

/** The X-Forwarded-For a webhook that answers with the request it received (its first entry's JSON) was sent, or undefined. */
export function forwardedForSeen(e: Exchange): string | undefined {
  try {
    return (JSON.parse(e.response?.body ?? '') as { headers?: Record<string, string> }).headers?.['x-forwarded-for'];
  } catch {
    return undefined;
  }
}
