import { defineFamily } from '../../core/family.ts';
import { editScenarios } from './edits.ts';
import { headerBasicScenarios } from './header-basic.ts';
import { jwtCredentialScenarios } from './jwt-credential.ts';
import { urlScenarios } from './urls.ts';

export const webhooksFamily = defineFamily('webhooks', "Webhooks: test and production URLs, the Webhook node's own authentication", [
  ...urlScenarios,
  ...headerBasicScenarios,
  ...jwtCredentialScenarios,
  ...editScenarios,
]);
