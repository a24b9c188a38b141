import { defineFamily } from '../../core/family.ts';
import { errorText } from './error-text.ts';
import { planLimitedScenarios, restrictedKey } from './operations.ts';
import { projectKey } from './project-keys.ts';
import { missingBearer, strayCharacterScenarios } from './stray-characters.ts';

export const externalFamily = defineFamily('external', 'Third-party APIs called by n8n workflows (mock providers)', [
  ...strayCharacterScenarios,
  missingBearer,
  projectKey,
  restrictedKey,
  ...planLimitedScenarios,
  errorText,
]);
