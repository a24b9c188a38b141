import { defineFamily } from '../../core/family.ts';
import { ciSecret } from './ci-export.ts';
import { keyFileNewline, keyMismatch, lostDataFolder } from './encryption-key.ts';
import { dotenvRestart, envEditRestart, envNotMounted } from './env-files.ts';
import { jwtSecretChanged } from './jwt-secret.ts';
import { pm2Restart } from './pm2.ts';
import { queueWorkerKey } from './queue.ts';

/** In the catalogue's order (ledgers list the rows so). */
export const secretsFamily = defineFamily('secrets', 'Encryption keys, env files and secrets', [
  keyMismatch,
  lostDataFolder,
  jwtSecretChanged,
  ciSecret,
  envNotMounted,
  envEditRestart,
  dotenvRestart,
  keyFileNewline,
  queueWorkerKey,
  pm2Restart,
]);
