import { defineFamily } from '../../scenarios/family.ts';
import { errorText } from './error-text.ts';
import { planLimitedScenarios, restrictedKey } from './operations.ts';
import { projectKey } from './project-keys.ts';
import { missingBearer, strayCharacterScenarios } from './stray-characters.ts';

/** Every fault here is between a workflow's node and a third-party API; n8n's own API works. */
const THIRD_PARTY_BLIND = "the 401 comes from a third-party API inside a workflow's execution; n8n's own API and the user's n8n key are fine";

export const externalFamily = defineFamily(
  'external',
  'Third-party APIs called by n8n workflows (mock providers)',
  [...strayCharacterScenarios, missingBearer, projectKey, restrictedKey, ...planLimitedScenarios, errorText].map((s) => ({ ...s, doctorBlind: THIRD_PARTY_BLIND })),
);
