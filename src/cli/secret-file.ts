import { readFile } from 'node:fs/promises';
import { registerSecret, type SecretKind } from '../secrets.ts';
import { UserError } from '../user-error.ts';

/** A secret from a file (one trailing newline dropped), registered for masking; an unreadable file is bad input. */
export async function readSecretFile(file: string | undefined, kind: SecretKind): Promise<string | undefined> {
  if (!file) return undefined;
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UserError(`cannot read ${file}: ${err.code ?? err.message}`);
  });
  return registerSecret(text.replace(/\r?\n$/, ''), kind);
}
