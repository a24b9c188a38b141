import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startAuthStack, type StartedAuthStack } from '../src/parts/stack/auth-stack.ts';
import { authlab } from './support/cli.ts';
import { testVersions } from './support/versions.ts';

// `authlab doctor` on the three causes n8n answers alike with a bare 401 (a key another n8n signed,
// a key this n8n issued and deleted, the public API off), on a real n8n of each version, with each
// level of evidence: none, the encryption key file, the owner's sign-in, both. What each run named
// and the causes it left open are pinned; its whole output is written to a folder for the docs.
/** An API key real n8n minted under another encryption key (fixtures/keys): one this n8n never issued. */
const FOREIGN_KEY = (JSON.parse(readFileSync(new URL('../fixtures/keys/n8n-2.41.0.json', import.meta.url), 'utf8')) as { derived: { keys: { plain: string } } })
  .derived.keys.plain;

type Evidence = 'none' | 'encryption key' | "owner's sign-in" | 'both';
type Case = 'another instance' | 'deleted' | 'public API off';
const EVIDENCE: Evidence[] = ['none', 'encryption key', "owner's sign-in", 'both'];

/** Each run's first mode and the causes its evidence says remain ("(a)", "(b)", "(c)"); 1.x answers 404 with the API off, before any key. */
function expected(version: string): Record<Case, Record<Evidence, string>> {
  const v1 = version.startsWith('1.');
  return {
    'another instance': {
      none: `key-rejected ${v1 ? '(a)(b)' : '(a)(b)(c)'}`,
      'encryption key': 'key-not-issued-here',
      "owner's sign-in": 'key-rejected (a)(b)',
      both: 'key-not-issued-here',
    },
    deleted: {
      none: `key-rejected ${v1 ? '(a)(b)' : '(a)(b)(c)'}`,
      'encryption key': v1 ? 'key-deleted' : 'key-unknown-to-n8n (b)(c)',
      "owner's sign-in": 'key-deleted',
      both: 'key-deleted',
    },
    'public API off': v1
      ? { none: 'public-api-disabled', 'encryption key': 'public-api-disabled', "owner's sign-in": 'public-api-disabled', both: 'public-api-disabled' }
      : {
          none: 'key-rejected (a)(b)(c)',
          'encryption key': 'key-unknown-to-n8n (b)(c)',
          "owner's sign-in": 'public-api-disabled',
          both: 'public-api-disabled',
        },
  };
}

describe.each(testVersions())('the doctor tells the three refused-key causes apart on n8n %s', (version) => {
  let stack: StartedAuthStack;
  const dir = mkdtempSync(join(tmpdir(), 'authlab-doctor-keys-'));
  const encryptionKeyFile = join(dir, 'encryption-key');
  const passwordFile = join(dir, 'owner-password');
  /** Each key in its own variable, as --key-env reads it. */
  const env: NodeJS.ProcessEnv = { AUTHLAB_KEY_ANOTHER_INSTANCE: FOREIGN_KEY };

  beforeAll(async () => {
    stack = await startAuthStack({ name: 'doctor-keys' }, { version, image: inject('n8nImages')[version]!, serviceImages: inject('serviceImages') });
    const { client, container, owner, apiKey } = stack.primary;
    // n8n 1.x makes a key of its user and the second: one issued in the second of the stack's own key would be that key.
    await new Promise((r) => setTimeout(r, 2000));
    const deleted = await client.createApiKey({ label: 'authlab-deleted' });
    await client.deleteApiKey(deleted.id);
    env.AUTHLAB_KEY_DELETED = deleted.rawApiKey;
    env.AUTHLAB_KEY_PUBLIC_API_OFF = apiKey.rawApiKey;
    writeFileSync(encryptionKeyFile, container.settings.encryptionKey ?? '');
    writeFileSync(passwordFile, owner.password, { mode: 0o600 });
  }, 15 * 60_000);
  afterAll(() => stack?.stop());

  const argsFor = (c: Case, evidence: Evidence) => [
    'doctor',
    '--url',
    stack.primary.container.getBaseUrl(),
    '--key-env',
    `AUTHLAB_KEY_${c.toUpperCase().replace(/ /g, '_')}`,
    '--executions',
    '0',
    ...(evidence === 'encryption key' || evidence === 'both' ? ['--encryption-key-file', encryptionKeyFile] : []),
    ...(evidence === "owner's sign-in" || evidence === 'both' ? ['--owner-email', stack.primary.owner.email, '--owner-password-file', passwordFile] : []),
  ];

  /** What each run named first, with the causes it says remain; every output kept in the folder, none showing a secret. */
  async function named(c: Case): Promise<Record<Evidence, string>> {
    const seen = {} as Record<Evidence, string>;
    for (const evidence of EVIDENCE) {
      const r = await authlab(argsFor(c, evidence), env);
      writeFileSync(join(dir, `${version} ${c} - ${evidence}.txt`), `$ authlab ${argsFor(c, evidence).join(' ')}\n${r.stdout}`);
      for (const secret of [env.AUTHLAB_KEY_DELETED!, env.AUTHLAB_KEY_PUBLIC_API_OFF!, stack.primary.owner.password])
        expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const first = /^FOUND {3}([\w-]+):/m.exec(r.stdout)?.[1] ?? 'none';
      const open = /^ {8}evidence: remaining: (.*)$/m.exec(r.stdout)?.[1]?.match(/\([abc]\)/g) ?? [];
      seen[evidence] = [first, open.join('')].filter(Boolean).join(' ');
    }
    return seen;
  }

  test('a key another n8n signed; a key this n8n issued and deleted', async () => {
    expect({ 'another instance': await named('another instance'), deleted: await named('deleted') }).toEqual({
      'another instance': expected(version)['another instance'],
      deleted: expected(version).deleted,
    });
  });

  test('a wrong password is an UNCHECKED line, not a finding; --owner-password warns on stderr', async () => {
    const r = await authlab(
      [
        ...argsFor('deleted', 'none'),
        '--encryption-key-file',
        encryptionKeyFile,
        '--owner-email',
        stack.primary.owner.email,
        '--owner-password',
        'Not-the-password-1',
      ],
      env,
    );
    expect(r.stderr).toMatch(/--owner-password is visible to other users in ps/);
    expect(r.stdout).toMatch(/^UNCHECKED what n8n says of its API and keys: the owner's sign-in was refused \(401 "Wrong username or password/m);
    expect(r.stdout).not.toContain('Not-the-password-1');
  });
  test("the public API off (N8N_PUBLIC_API_DISABLED=true), with this n8n's own key", async () => {
    await stack.replacePrimary({ env: { N8N_PUBLIC_API_DISABLED: 'true' } });
    expect(await named('public API off')).toEqual(expected(version)['public API off']);
    console.info(`the doctor's outputs: ${dir}`);
  });
});
