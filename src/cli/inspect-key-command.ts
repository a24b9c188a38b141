import { inspectApiKey } from '../parts/inspect/key-inspector.ts';
import { registerSecret } from '../base/secrets.ts';
import { UserError } from '../base/user-error.ts';
import type { INSPECT_KEY_OPTIONS } from './command-options.ts';
import { readInputFile } from './input-files.ts';
import { out } from './io.ts';
import type { Values } from './options.ts';
import { readSecretFile } from './secret-file.ts';

export async function run(values: Values<typeof INSPECT_KEY_OPTIONS>): Promise<number> {
  const fromEnv = values['key-env'] ? process.env[values['key-env']] : undefined;
  if (values['key-env'] && fromEnv === undefined) throw new UserError(`the environment variable ${values['key-env']} is not set`);
  // The file is read byte for byte: a trailing newline in it is a finding, not something to hide.
  const key = fromEnv ?? (values['key-file'] ? await readInputFile(values['key-file'], '--key-file') : undefined);
  if (key === undefined) throw new UserError('inspect-key needs --key-file <file> or --key-env <VAR>');
  registerSecret(key, 'api-key');
  const r = await inspectApiKey(key, {
    encryptionKey: await readSecretFile(values['encryption-key-file'], 'encryption-key', '--encryption-key-file'),
    jwtSecret: await readSecretFile(values['jwt-secret-file'], 'jwt-secret', '--jwt-secret-file'),
  });
  out(`kind: ${r.kind}${r.algorithm ? ` (${r.algorithm})` : ''}`);
  if (r.claims) out(`claims: sub ${r.claims.sub ?? '-'}, iss ${r.claims.iss ?? '-'}, aud ${String(r.claims.aud ?? '-')}`);
  if (r.iat) out(`iat: ${r.iat.at} (${r.iat.aheadBySeconds} s from this machine's clock)`);
  if (r.exp) out(`exp: ${r.exp.at} (${r.exp.expired ? 'expired' : 'valid'} by this machine's clock)`);
  for (const f of r.findings) out(`- ${f}`);
  return r.kind === 'jwt' && r.signature?.valid !== false && r.strayCharacters.length === 0 && !r.exp?.expired ? 0 : 1;
}
