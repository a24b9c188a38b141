import { defineFamily } from '../../core/family.ts';
import type { AnyScenario } from '../../core/types.ts';

const oauth2Scenarios: AnyScenario[] = [];

export const oauth2Family = defineFamily(
  'oauth2',
  'OAuth2 credentials: the token refresh n8n does (or does not do), against a real authorization server',
  oauth2Scenarios,
);
