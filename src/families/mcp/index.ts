import { defineFamily } from '../../core/family.ts';
import { mcpNodeScenarios } from './nodes/index.ts';
import { mcpServerScenarios } from './server/index.ts';

export const mcpFamily = defineFamily('mcp', "n8n's MCP access: the instance's MCP server and its OAuth, the MCP Server Trigger, the MCP Client Tool", [
  ...mcpServerScenarios,
  ...mcpNodeScenarios,
]);
