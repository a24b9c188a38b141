import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readLabState } from '../src/features/lab/lab-state.ts';
import { authlab } from './support/cli.ts';
import { checked, downLeavesNothing, editorOf, home, mcpCurl, startLab } from './support/lab-run.ts';
import { queuedTimeout, testSlot } from './support/slots.ts';

// The labs whose symptom is an MCP client's request, one of each kind it comes in: an n8n boot each, side by side.
const env = { AUTHLAB_HOME: home };
const MCP_CLIENT_LAB = 'mcp.server-public-api-key';
const MCP_SETTING_LAB = 'mcp.server-access-disabled';
const LIVE_LABS = [MCP_CLIENT_LAB, MCP_SETTING_LAB];

function labTest(name: string, body: () => Promise<void>): void {
  test.concurrent(name, { timeout: queuedTimeout(LIVE_LABS.length, 20 * 60_000) }, ({ signal }) => testSlot(signal, body));
}

describe("MCP labs: an AI client's request, what it sends or what n8n allows", () => {
  afterAll(async () => {
    for (const id of LIVE_LABS) if (await readLabState(id)) await authlab(['lab', id, '--down'], env);
  });

  labTest(
    "an MCP client's lab as a learner runs it: the printed request refused 401, the MCP token taken from Settings > MCP Access into the client's file, --check green, --reset puts the wrong key back, --down leaves nothing",
    async () => {
      const state = await startLab(MCP_CLIENT_LAB);
      expect(state.tokenFile).toBe(state.workspace!.files[0]);
      expect(statSync(state.tokenFile!).mode & 0o777).toBe(0o600);
      const symptom = await mcpCurl(state);
      expect(symptom.status, symptom.body).toBe('401');
      expect(await checked(MCP_CLIENT_LAB)).toBe(1);
      const hint = await authlab(['lab', MCP_CLIENT_LAB, '--hint', '2'], env);
      expect(hint.stdout).toContain(`--mcp-url ${state.mcpUrl} --mcp-token-file ${state.tokenFile}`);

      // The learner's fix: a token from Settings > MCP Access (the page's "rotate": n8n shows a token whole only once), as the client's Bearer token.
      const editor = await editorOf(state);
      const rotated = await editor.call('POST', '/rest/mcp/api-key/rotate');
      const token = (rotated.json as { data: { apiKey: string } }).data.apiKey;
      writeFileSync(state.tokenFile!, `Bearer ${token}\n`);
      expect((await mcpCurl(state)).status).toBe('200');
      expect(await checked(MCP_CLIENT_LAB)).toBe(0);

      const reset = await authlab(['lab', MCP_CLIENT_LAB, '--reset'], env);
      expect(reset.code, reset.stderr).toBe(0);
      expect(readFileSync(state.tokenFile!, 'utf8')).toBe(`Bearer ${readFileSync(state.keyFile!, 'utf8')}`);
      expect(await checked(MCP_CLIENT_LAB)).toBe(1);
      await downLeavesNothing(MCP_CLIENT_LAB, state);
    },
  );

  labTest(
    "a setting lab as a learner runs it: the MCP request answered 404 with a right token, MCP access turned on in n8n's settings, --check green; --compose refuses it in one line; --down leaves nothing",
    async () => {
      const state = await startLab(MCP_SETTING_LAB);
      const symptom = await mcpCurl(state);
      expect(symptom.status).toBe('404');
      expect(symptom.body).toContain('MCP access is disabled');
      expect(await checked(MCP_SETTING_LAB)).toBe(1);
      const compose = await authlab(['lab', MCP_SETTING_LAB, '--compose', join(home, 'mcp-compose')], env);
      expect(compose.code).toBe(2);
      expect(compose.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^authlab: lab mcp\.server-access-disabled has no compose export: .+/)]);

      // The learner's fix: Settings > MCP Access switched on (the page saves it as this PATCH).
      const editor = await editorOf(state);
      const saved = await editor.call('PATCH', '/rest/mcp/settings', { body: { mcpAccessEnabled: true } });
      expect(saved.status, saved.text).toBe(200);
      expect(await checked(MCP_SETTING_LAB)).toBe(0);
      await downLeavesNothing(MCP_SETTING_LAB, state);
    },
  );
});
