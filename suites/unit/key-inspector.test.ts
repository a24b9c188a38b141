import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { deriveJwtSecret, inspectApiKey } from '../../src/parts/inspect/key-inspector.ts';

/** Keys minted by real n8n containers (scripts/mint-key-fixtures.ts), with the secrets they were signed with. */
interface KeyFixture {
  version: string;
  encryptionKey: string;
  jwtSecret: string;
  derived: { mintedAt: string; keys: { plain: string; expiring: string } };
  explicit: { mintedAt: string; keys: { plain: string; expiring: string } };
}

const dir = new URL('../../fixtures/keys/', import.meta.url);
const fixtures: KeyFixture[] = readdirSync(dir).map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as KeyFixture);

describe('the key inspector on keys minted by real n8n', () => {
  test('there are fixtures for both default versions', () => {
    expect(fixtures.map((f) => f.version).sort()).toEqual(['1.116.2', '2.41.0']);
  });

  for (const f of fixtures) {
    describe(`n8n ${f.version}`, () => {
      const mintedAt = new Date(f.derived.mintedAt);

      test('n8n derives its JWT secret from the encryption key (every other character, SHA-256)', async () => {
        const r = await inspectApiKey(f.derived.keys.plain, { encryptionKey: f.encryptionKey, now: mintedAt });
        expect(r.kind).toBe('jwt');
        expect(r.signature).toMatchObject({ against: 'encryption-key', valid: true });
        expect(r.claims).toMatchObject({ iss: 'n8n', aud: 'public-api' });
      });

      test('a key from an instance with another encryption key is not signed by this one', async () => {
        const r = await inspectApiKey(f.derived.keys.plain, { encryptionKey: `${f.encryptionKey.slice(0, -2)}00` });
        expect(r.signature?.valid).toBe(false);
      });

      test('N8N_USER_MANAGEMENT_JWT_SECRET replaces the derived secret', async () => {
        expect(deriveJwtSecret(f.encryptionKey)).not.toBe(f.jwtSecret);
        const bySecret = await inspectApiKey(f.explicit.keys.plain, { jwtSecret: f.jwtSecret });
        const byKey = await inspectApiKey(f.explicit.keys.plain, { encryptionKey: f.encryptionKey });
        expect(bySecret.signature?.valid).toBe(true);
        expect(byKey.signature?.valid).toBe(false);
      });

      test('iat is read against a reference clock, exp too', async () => {
        const r = await inspectApiKey(f.derived.keys.expiring, { now: mintedAt });
        expect(Math.abs(r.iat!.aheadBySeconds)).toBeLessThan(120);
        expect(r.exp?.expired).toBe(false);
        const later = await inspectApiKey(f.derived.keys.expiring, { now: new Date(mintedAt.getTime() + 2 * 3600_000) });
        expect(later.exp?.expired).toBe(true);
      });

      test('stray characters are named, and the key is still decoded', async () => {
        const r = await inspectApiKey(`${f.derived.keys.plain}\u200b\n`, { encryptionKey: f.encryptionKey });
        expect(r.strayCharacters).toEqual(['U+200B (zero-width space)', 'U+000A (line feed)']);
        expect(r.signature?.valid).toBe(true);
      });
    });
  }

  test('a legacy n8n_api_ key and garbage are told apart', async () => {
    expect((await inspectApiKey(`n8n_api_${'ab'.repeat(20)}`)).kind).toBe('legacy');
    expect((await inspectApiKey('not a key')).kind).toBe('not-a-key');
  });
});
