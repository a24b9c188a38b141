import type { CatalogueRun } from '../plan.ts';
import { maskDeep } from '../../base/secrets.ts';

const REPORT_SCHEMA_VERSION = 1;

/**
 * The JSON report: `{ schema, tool, run: CatalogueRun }`. Each result keeps its full observation
 * (fault proof, exchanges with masked secrets, n8n log lines), so a verdict can be recomputed.
 */
export function toJsonReport(run: CatalogueRun, toolVersion: string): string {
  return `${JSON.stringify(maskDeep({ schema: REPORT_SCHEMA_VERSION, tool: { name: 'n8n-authlab', version: toolVersion }, run }), null, 2)}\n`;
}
