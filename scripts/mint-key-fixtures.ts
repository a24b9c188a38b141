// node scripts/mint-key-fixtures.ts [version ...]
// Starts real n8n per version with a known encryption key (and once with a JWT secret), creates
// API keys, and saves them to fixtures/keys/n8n-<version>.json for the key inspector's tests.
// The secrets are throwaway: the containers are removed at the end.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { N8nClient, newOwnerAccount } from '../src/parts/client/n8n-client.ts';
import { resolveN8nImage } from '../src/parts/images/n8n-image.ts';
import { DEFAULT_N8N_VERSIONS } from '../src/parts/images/n8n-versions.ts';
import { imageOptionsFromEnv } from '../src/parts/images/options.ts';
import { cleanupOnSignals, sweep } from '../src/docker/cleanup.ts';
import { N8nContainer } from '../src/parts/stack/n8n-container.ts';

cleanupOnSignals();
const versions = process.argv.slice(2).length ? process.argv.slice(2) : [...DEFAULT_N8N_VERSIONS];
const opts = imageOptionsFromEnv({ progress: (l) => console.error(l) });

async function mint(version: string, env: Record<string, string>, encryptionKey: string) {
  const n8n = await new N8nContainer(await resolveN8nImage(version, opts), version).withEncryptionKey(encryptionKey).withN8nEnv(env).start();
  try {
    const client = new N8nClient(n8n.getBaseUrl());
    await client.setupOwner(newOwnerAccount());
    const plain = await client.createApiKey({ label: 'fixture' });
    const expiring = await client.createApiKey({ label: 'fixture-expiring', expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    return { mintedAt: new Date().toISOString(), keys: { plain: plain.rawApiKey, expiring: expiring.rawApiKey } };
  } finally {
    await n8n.stop({ remove: true });
  }
}

await mkdir('fixtures/keys', { recursive: true });
for (const version of versions) {
  const encryptionKey = randomBytes(24).toString('hex');
  const jwtSecret = randomBytes(16).toString('hex');
  const derived = await mint(version, {}, encryptionKey);
  const explicit = await mint(version, { N8N_USER_MANAGEMENT_JWT_SECRET: jwtSecret }, encryptionKey);
  const fixture = { version, encryptionKey, derived, jwtSecret, explicit };
  await writeFile(`fixtures/keys/n8n-${version}.json`, `${JSON.stringify(fixture, null, 2)}\n`);
  console.error(`wrote fixtures/keys/n8n-${version}.json`);
}
await sweep({ scope: 'this-run' });
