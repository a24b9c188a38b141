import type { AnyScenario } from '../../../core/types.ts';
import { clientToolWrongToken } from './client-tool.ts';
import { triggerScenarios } from './trigger-scenarios.ts';

/** The MCP Server Trigger and the MCP Client Tool, called by the official MCP SDK's client and server. */
export const mcpNodeScenarios: AnyScenario[] = [...triggerScenarios, clientToolWrongToken];
