import type { AnyScenario } from '../../../core/types.ts';

/** The instance's own MCP server (module `mcp`, `/mcp-server/http`) and its OAuth server. */
export const mcpServerScenarios: AnyScenario[] = [];
