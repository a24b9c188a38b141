import { defineFamily } from '../../core/family.ts';
import { credentialEnvDenied } from './blocked.ts';
import { queueWorkerLacksVariable } from './queue.ts';

export const envAccessFamily = defineFamily('env-access', '$env in credential fields: blocked, or read where the variable is not set', [
  credentialEnvDenied,
  queueWorkerLacksVariable,
]);
