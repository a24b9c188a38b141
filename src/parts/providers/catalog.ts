import { bearerApi } from './bearer-api.ts';
import { elevenLabs } from './elevenlabs.ts';
import { fal } from './fal.ts';
import { jwtApp } from './jwt-app.ts';
import { mcpServer } from './mcp-server.ts';
import { openAi, openRouter } from './openai.ts';
import { pinecone } from './pinecone.ts';
import type { ProviderDefinition } from './types.ts';

/** Every mock provider a stack can run, by name. */
export const PROVIDERS = {
  'jwt-app': jwtApp,
  'bearer-api': bearerApi,
  openai: openAi,
  openrouter: openRouter,
  elevenlabs: elevenLabs,
  fal,
  pinecone,
  'mcp-server': mcpServer,
} satisfies Record<string, ProviderDefinition>;

export type ProviderName = keyof typeof PROVIDERS;
