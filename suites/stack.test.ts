import { afterAll, describe, expect, inject, test } from 'vitest';
import { N8nClient, newOwnerAccount } from '../src/parts/client/n8n-client.ts';
import { newEncryptionKey } from '../src/parts/stack/auth-stack.ts';
import { createDataVolume, N8N_PORT, N8nContainer, N8nStartError, removeVolume, type StartedN8nContainer } from '../src/parts/stack/n8n-container.ts';
import { NginxContainer } from '../src/parts/stack/nginx-container.ts';
import { testVersions } from './support/versions.ts';

/** Remote peers of the TCP connections n8n opened itself (not those to its port 5678), from /proc. */
async function outboundPeers(n8n: StartedN8nContainer): Promise<string[]> {
  const { output } = await n8n.exec(['sh', '-c', 'cat /proc/net/tcp /proc/net/tcp6 2>/dev/null']);
  const peers: string[] = [];
  for (const line of output.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const [local, remote, state] = [cols[1], cols[2], cols[3]];
    if (!local || !remote || !['01', '02'].includes(state ?? '')) continue; // ESTABLISHED, SYN_SENT
    if (parseInt(local.split(':')[1]!, 16) === N8N_PORT) continue; // someone connected to n8n
    const hex = remote.split(':')[0]!;
    const ip =
      hex.length === 8
        ? hex
            .match(/../g)!
            .reverse()
            .map((b) => parseInt(b, 16))
            .join('.')
        : `[v6 ${hex}]`;
    peers.push(ip);
  }
  return peers;
}

const version = testVersions()[testVersions().length - 1]!;
const started: StartedN8nContainer[] = [];
const volumes: string[] = [];
afterAll(async () => {
  await Promise.allSettled(started.map((c) => c.stop({ remove: true })));
  await Promise.allSettled(volumes.map(removeVolume));
});

describe('the NGINX container', () => {
  test("a config that fails nginx -t is reported with NGINX's own message, and the running config stays", async () => {
    const nginx = await new NginxContainer(inject('serviceImages').nginx!)
      .withSiteConfig('server {\n    listen 80;\n    location / { return 200 "ok"; }\n}\n')
      .start();
    try {
      const broken = 'server {\n    listen 80;\n    location / {\n        proxy_set_header X-N8N-API-KEY;\n    }\n}\n';
      await expect(nginx.applySiteConfig(broken)).rejects.toThrow(/nginx -t refused the config:[^]*invalid number of arguments in "proxy_set_header"/);
      const res = await fetch(nginx.getBaseUrl());
      expect(await res.text()).toBe('ok');
    } finally {
      await nginx.stop({ remove: true });
    }
  });
});

/**
 * The kit's first n8n, booted once for both tests: over a data volume of its own, an owner made and
 * an API key taken. The first test asserts on it as it is; the second stops it and starts others over its data.
 */
interface FirstN8n {
  n8n: StartedN8nContainer;
  key: string;
  volume: string;
  apiKey: string;
}
let first: Promise<FirstN8n> | undefined;
function firstN8n(): Promise<FirstN8n> {
  first ??= (async () => {
    const key = newEncryptionKey();
    const volume = await createDataVolume('kit');
    volumes.push(volume);
    const n8n = await new N8nContainer(inject('n8nImages')[version]!, version).withEncryptionKey(key).withDataVolume(volume).start();
    started.push(n8n);
    const client = new N8nClient(n8n.getBaseUrl());
    await client.setupOwner(newOwnerAccount());
    const apiKey = (await client.createApiKey({ label: 'kit' })).rawApiKey;
    return { n8n, key, volume, apiKey };
  })();
  return first;
}

describe(`the n8n container kit on n8n ${version}`, () => {
  test('n8n starts, takes an owner and an API key, and connects to nothing outside its container', async () => {
    const { n8n, apiKey } = await firstN8n();
    expect((await new N8nClient(n8n.getBaseUrl()).publicApi('GET', '/workflows', apiKey)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 5000)); // telemetry, if any, would start by now
    const outside = (await outboundPeers(n8n)).filter((ip) => !ip.startsWith('127.') && ip !== '[v6 00000000000000000000000001000000]');
    expect(outside, 'n8n opened connections to these peers').toEqual([]);
  });

  test('a container that dies during start throws with its last log lines, and a replacement over the same data keeps the API key', async () => {
    const { n8n, key, volume, apiKey } = await firstN8n();
    await n8n.stop({ remove: true }); // a volume it was given outlives it
    const broken = new N8nContainer(inject('n8nImages')[version]!, version).withEncryptionKey(newEncryptionKey()).withDataVolume(volume);
    const failure = await broken.start().then(
      (c) => (started.push(c), undefined),
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(N8nStartError);
    const error = failure as N8nStartError;
    expect(error.lastLogLines.length).toBeGreaterThan(0);
    expect(error.lastLogLines.length).toBeLessThanOrEqual(40);
    expect(error.message).toMatch(/did not start/);
    expect(error.message).toMatch(/encryption key/i);
    const again = await new N8nContainer(inject('n8nImages')[version]!, version).withEncryptionKey(key).withDataVolume(volume).start();
    started.push(again);
    expect((await new N8nClient(again.getBaseUrl()).publicApi('GET', '/workflows', apiKey)).status).toBe(200);
  });
});
