import { defineFamily } from '../../core/family.ts';
import type { AnyScenario } from '../../core/types.ts';
import { expiryScenarios } from './expiry.ts';
import { raceScenarios } from './race.ts';
import { revokedRefreshToken } from './revoked.ts';

const oauth2Scenarios: AnyScenario[] = [...expiryScenarios, revokedRefreshToken, ...raceScenarios];

export const oauth2Family = defineFamily(
  'oauth2',
  'OAuth2 credentials: the token refresh n8n does (or does not do), against a real authorization server',
  oauth2Scenarios,
);
