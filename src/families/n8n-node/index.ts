import { defineFamily } from '../../core/family.ts';
import { baseUrlWithoutApi, localhostBaseUrl } from './base-url.ts';
import { publicUrlScenarios } from './proxy.ts';
import { keyWithoutScope } from './scopes.ts';

export const n8nNodeFamily = defineFamily('n8n-node', "The n8n node calling n8n's own public API (the n8n API credential)", [
  baseUrlWithoutApi,
  localhostBaseUrl,
  keyWithoutScope,
  ...publicUrlScenarios,
]);
