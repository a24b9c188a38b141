import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';
import { STAND_IN } from './doctor-executions.recorded.ts';

// The doctor's reading of executions, against a stand-in that answers the public API's executions
// endpoints as n8n was recorded answering them (doctor-executions.recorded.ts: what n8n 1.116.2 and
// 2.41.0 saved for each failure, trimmed). Whether n8n fails so is what the scenario runs check.
const minted = JSON.parse(readFileSync(new URL('../../fixtures/keys/n8n-2.41.0.json', import.meta.url), 'utf8')) as { derived: { keys: { plain: string } } };
const KEY = minted.derived.keys.plain;

interface Listed {
  id: string;
  workflowId: string;
  status: string;
  startedAt: string;
}

let n8n: Server;
let url = '';
/** What the stand-in holds: the executions it lists (newest first) and the data of each. */
let listed: Listed[] = [];
let details: Record<string, unknown> = {};
/** Whether the key may list executions (a key without execution:list gets 403). */
let mayList = true;
/** Workflows deleted since their run (n8n answers 404 for them). */
let deleted: string[] = [];
let requested: string[] = [];

beforeAll(async () => {
  n8n = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    requested.push(req.url ?? '');
    if (req.url === '/healthz') return json(200, { status: 'ok' });
    if (req.headers['x-n8n-api-key'] !== KEY) return json(401, { message: 'unauthorized' });
    const path = new URL(req.url ?? '/', 'http://n8n');
    if (path.pathname === '/api/v1/workflows') return json(200, { data: [], nextCursor: null });
    const workflow = /^\/api\/v1\/workflows\/(\w+)$/.exec(path.pathname)?.[1];
    if (workflow)
      return deleted.includes(workflow)
        ? json(404, { message: 'Not Found' })
        : json(200, { id: workflow, name: 'a workflow', active: true, isArchived: false });
    if (!mayList && path.pathname.startsWith('/api/v1/executions')) return json(403, STAND_IN.forbidden);
    if (path.pathname === '/api/v1/executions') return json(200, { data: listed.slice(0, Number(path.searchParams.get('limit') ?? 100)), nextCursor: null });
    const one = /^\/api\/v1\/executions\/(\d+)$/.exec(path.pathname);
    if (one && details[one[1]!]) return json(200, details[one[1]!]);
    return json(404, { message: 'Not Found' });
  });
  await new Promise<void>((r) => n8n.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(n8n.address() as { port: number }).port}`;
});
afterAll(() => n8n.close());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** The stand-in's state: one workflow's executions, newest first, each with the data n8n saved. */
function holds(...executions: Array<{ id: string; status: string; startedAt?: string; workflowId?: string; data?: unknown }>): void {
  mayList = true;
  deleted = [];
  requested = [];
  listed = executions.map((e) => ({ id: e.id, workflowId: e.workflowId ?? 'wf1', status: e.status, startedAt: e.startedAt ?? minutesAgo(1) }));
  details = Object.fromEntries(
    executions.map((e) => [e.id, { id: e.id, workflowId: e.workflowId ?? 'wf1', status: e.status, data: e.data ?? { resultData: { runData: {} } } }]),
  );
}

describe("the doctor reads n8n's recent executions with the key", () => {
  test('a workflow whose latest run could not decrypt its credential names credentials-undecryptable, with the workflow, the execution and the message', async () => {
    holds({ id: '2', status: 'error', data: STAND_IN.undecryptable }, { id: '1', status: 'success', startedAt: minutesAgo(2) });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses.map((d) => d.mode)).toEqual(['credentials-undecryptable']);
    expect(r.diagnoses[0]!.evidence.join('\n')).toMatch(/workflow wf1, execution 2 .*Credentials could not be decrypted/);
    expect(r.notes.join('\n')).toContain('read the newest 2');
  });

  test('the 1-in-256 variant, "Decrypted credentials data is not valid JSON", names the same mode', async () => {
    holds({ id: '5', status: 'error', data: STAND_IN.notValidJson });
    expect((await runDoctor({ url, key: KEY })).diagnoses.map((d) => d.mode)).toEqual(['credentials-undecryptable']);
  });

  test("an HTTP Request node's 401 from a third-party API names workflow-call-rejected: n8n's key is fine", async () => {
    holds({ id: '9', status: 'error', data: STAND_IN.thirdParty401 });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses.map((d) => d.mode)).toEqual(['workflow-call-rejected']);
    expect(r.diagnoses[0]!.evidence[0]).toMatch(/execution 9 .*Authorization failed.*HTTP 401/);
  });

  test("an OAuth2 credential whose refresh the provider refused (n8n 1.116.2: the OAuth library's invalid_grant text) names oauth2-refresh-refused, not a third-party 401", async () => {
    holds({ id: '9', status: 'error', data: STAND_IN.refreshRefused116 });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses.map((d) => d.mode)).toEqual(['oauth2-refresh-refused']);
    expect(r.diagnoses[0]!.evidence[0]).toMatch(/execution 9 .*provided authorization grant/);
  });

  test('the same on n8n 2.41.0, in its own words ("needs to be reconnected")', async () => {
    holds({ id: '1', status: 'error', data: STAND_IN.refreshRefused241 });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses.map((d) => d.mode)).toEqual(['oauth2-refresh-refused']);
    expect(r.diagnoses[0]!.evidence[0]).toMatch(/execution 1 .*needs to be reconnected/);
  });

  test.each([
    ['2.41.0 (its default)', STAND_IN.envDenied241],
    ['1.116.2 (N8N_BLOCK_ENV_ACCESS_IN_NODE=true)', STAND_IN.envDenied116],
  ])('a credential field reading {{ $env.API_KEY }} where n8n %s blocks $env ("access to env vars denied") names env-access-denied', async (_, data) => {
    holds({ id: '2', status: 'error', data });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses.map((d) => d.mode)).toEqual(['env-access-denied']);
    expect(r.diagnoses[0]!.evidence[0]).toMatch(/execution 2 .*node "Who am I": access to env vars denied \[Error resolving credentials\]$/);
  });

  test("the n8n node's 401 from n8n's own API names n8n-node-call-failed, not a third-party API's refusal", async () => {
    holds({ id: '6', status: 'error', data: STAND_IN.n8nNode401 });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses.map((d) => d.mode)).toEqual(['n8n-node-call-failed']);
    expect(r.diagnoses[0]!.evidence[0]).toMatch(/execution 6 .*node "n8n": Authorization failed.*HTTP 401/);
  });

  test('a header n8n would not send (a pasted zero-width space) names credential-value-unsendable', async () => {
    holds({ id: '7', status: 'error', data: STAND_IN.invalidHeader });
    expect((await runDoctor({ url, key: KEY })).diagnoses.map((d) => d.mode)).toEqual(['credential-value-unsendable']);
  });

  test('a Code node whose task no runner took ("Task request timed out", n8n 2.x) names code-task-no-runner', async () => {
    holds({ id: '4', status: 'error', data: STAND_IN.noRunner });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses.map((d) => d.mode)).toEqual(['code-task-no-runner']);
    expect(r.diagnoses[0]!.evidence[0]).toMatch(/execution 4 .*node "Code": Task request timed out/);
  });

  test('a key without the execution:list scope (403): healthy as far as it could see, and it says what it could not check and why', async () => {
    holds({ id: '2', status: 'error', data: STAND_IN.undecryptable });
    mayList = false;
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses).toEqual([]);
    expect(r.unchecked.join('\n')).toMatch(/executions not read: GET \/api\/v1\/executions answered 403 .*lacks the execution:list scope/);
    expect(r.executions).toEqual({ readable: false, why: expect.stringContaining('403') });
  });

  test('none failed: healthy, and it says how many it read', async () => {
    holds({ id: '2', status: 'success' }, { id: '1', status: 'success' });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses).toEqual([]);
    expect(r.unchecked).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/executions: read the newest 2; 2 finished since .*the latest of 1 workflow\(s\); 0 of those failed/);
  });

  test('a later successful run clears an earlier failure (the fix worked); ids order the runs, not startedAt (a clock moved back)', async () => {
    holds({ id: '3', status: 'success', startedAt: minutesAgo(9) }, { id: '2', status: 'error', startedAt: minutesAgo(1), data: STAND_IN.thirdParty401 });
    expect((await runDoctor({ url, key: KEY })).diagnoses).toEqual([]);
    expect(requested.some((p) => p.startsWith('/api/v1/executions/'))).toBe(false);
  });

  test('each workflow is judged by its own latest run; failures before the window do not count', async () => {
    holds(
      { id: '4', status: 'success', workflowId: 'wfA' },
      { id: '3', status: 'error', workflowId: 'wfB', data: STAND_IN.thirdParty401 },
      { id: '2', status: 'error', workflowId: 'wfC', startedAt: minutesAgo(120), data: STAND_IN.undecryptable },
    );
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses.map((d) => [d.mode, d.evidence.length])).toEqual([['workflow-call-rejected', 1]]);
    expect((await runDoctor({ url, key: KEY, executions: { since: new Date(Date.now() - 180 * 60_000) } })).diagnoses.map((d) => d.mode)).toEqual([
      'credentials-undecryptable',
      'workflow-call-rejected',
    ]);
  });

  test("a workflow deleted since its run failed is history, not a fault (A3's fix replaces the workflow)", async () => {
    holds({ id: '3', status: 'success', workflowId: 'wfNew' }, { id: '2', status: 'error', workflowId: 'wfOld', data: STAND_IN.thirdParty401 });
    deleted = ['wfOld'];
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses).toEqual([]);
    expect(r.notes.join('\n')).toContain('1 more failed in workflow(s) since deleted or archived (wfOld)');
  });

  test('a failure on neither a credential nor a 401 is told, not named', async () => {
    holds({ id: '2', status: 'error', data: STAND_IN.otherFailure });
    const r = await runDoctor({ url, key: KEY });
    expect(r.diagnoses).toEqual([]);
    expect(r.notes.join('\n')).toContain("failed, not on a credential or an API's 401: workflow wf1, execution 2");
  });

  test('--executions 0 reads none; a key n8n refuses reads none and says so', async () => {
    holds({ id: '2', status: 'error', data: STAND_IN.undecryptable });
    expect((await runDoctor({ url, key: KEY, executions: { limit: 0 } })).diagnoses).toEqual([]);
    expect(requested.some((p) => p.startsWith('/api/v1/executions'))).toBe(false);
    const refused = await runDoctor({ url, key: `${KEY.slice(0, -2)}xx` });
    expect(refused.unchecked).toContain('executions not read: the key does not work on n8n');
  });
});
