import { defineFamily } from '../../core/family.ts';
import { lifecycleScenarios } from './lifecycle.ts';
import { memberScenarios } from './member-workflow.ts';
import { scopeScenarios } from './scopes.ts';

export const keysFamily = defineFamily('keys', "A key's life: rotated, its user removed, a member's key, scopes", [
  ...lifecycleScenarios,
  ...memberScenarios,
  ...scopeScenarios,
]);
