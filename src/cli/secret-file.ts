import { registerSecret, type SecretKind } from '../base/secrets.ts';
import { readInputFile } from './input-files.ts';

/** A secret from a file (one trailing newline dropped), registered for masking; an unreadable file is bad input (`from`: the option naming it). */
export async function readSecretFile(file: string | undefined, kind: SecretKind, from?: string): Promise<string | undefined> {
  if (!file) return undefined;
  return registerSecret((await readInputFile(file, from)).replace(/\r?\n$/, ''), kind);
}
