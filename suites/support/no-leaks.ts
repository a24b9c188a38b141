import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { registeredSecrets } from '../../src/base/secrets.ts';

/** Every key, password and encryption key this process created, looked for in every file written to `dir`: zero hits. */
export async function expectNoSecretIn(dir: string): Promise<void> {
  const secrets = registeredSecrets();
  expect(secrets.length, 'no secret was registered: the check would prove nothing').toBeGreaterThan(0);
  // Files at the top only: screenshots/ holds pictures, which carry no text to mask.
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const name = entry.name;
    const text = await readFile(join(dir, name), 'utf8');
    const leaked = secrets.filter((s) => text.includes(s));
    expect(leaked.length, `${leaked.length} secret(s) unmasked in ${dir}/${name}`).toBe(0);
  }
}
