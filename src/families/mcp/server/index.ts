import type { AnyScenario } from '../../../core/types.ts';
import { accessDisabled } from './access.ts';
import { baseUrlChanged } from './base-url.ts';
import { sharedRateLimit } from './rate-limit.ts';
import { discoveryPrefixOnly } from './discovery.ts';
import { headerScenarios } from './headers.ts';
import { publicApiKeyAsToken, rotatedToken } from './tokens.ts';

/** The instance's own MCP server (module `mcp`, `/mcp-server/http`) and its OAuth server. */
export const mcpServerScenarios: AnyScenario[] = [
  accessDisabled,
  ...headerScenarios,
  publicApiKeyAsToken,
  rotatedToken,
  discoveryPrefixOnly,
  baseUrlChanged,
  sharedRateLimit,
];
