import { bearerApi } from './bearer-api.ts';
import { jwtApp } from './jwt-app.ts';
import type { ProviderDefinition } from './types.ts';

/** Every mock provider a stack can run, by name. */
export const PROVIDERS = { 'jwt-app': jwtApp, 'bearer-api': bearerApi } satisfies Record<string, ProviderDefinition>;

export type ProviderName = keyof typeof PROVIDERS;
