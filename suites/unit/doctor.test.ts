import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';

// The decision tree alone, against a stand-in that answers as the catalogue recorded n8n 1.116.2
// answering. Whether n8n really answers so is what the scenario runs check; this pins the logic.
const minted = JSON.parse(readFileSync(new URL('../../fixtures/keys/n8n-2.41.0.json', import.meta.url), 'utf8')) as {
  encryptionKey: string;
  derived: { keys: { plain: string } };
};
const KEY = minted.derived.keys.plain;

let n8n: Server;
let url = '';
/** What the stand-in does with the key: accept it, refuse it as unknown, or as unverifiable; or accept it without the workflow:read scope. */
let mode: 'accept' | 'unknown' | 'cannot-verify' | 'no-read-scope' = 'accept';
/** How many key requests the stand-in answers 503 "Database is not ready!" first, as n8n does while its database is not ready. */
let notReadyAnswers = 0;
/** How far ahead of this machine the stand-in's Date header runs, in seconds. */
let clockAheadS = 0;
/** The one workflow the stand-in has, and its user is not the key's. */
const FOREIGN_WORKFLOW = '/api/v1/workflows/foreign';

beforeAll(async () => {
  n8n = createServer((req, res) => {
    res.setHeader('date', new Date(Date.now() + clockAheadS * 1000).toUTCString());
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/healthz') return json(200, { status: 'ok' });
    if (!req.url?.startsWith('/api/v1/')) return json(401, { status: 'error', message: 'Unauthorized' });
    const key = req.headers['x-n8n-api-key'];
    if (!key) return json(401, { message: "'X-N8N-API-KEY' header required" });
    if (notReadyAnswers > 0) {
      notReadyAnswers--;
      return json(503, { code: 503, message: 'Database is not ready!' });
    }
    if (key !== KEY) return json(401, { message: 'Unauthorized' });
    if (mode === 'unknown') return json(401, { message: 'Unauthorized' });
    if (mode === 'cannot-verify') return json(401, { message: 'invalid signature' });
    // As n8n: the scope first (403), then the id (404), then whether the key's user may see it (403).
    if (req.url.startsWith('/api/v1/workflows/'))
      return mode === 'no-read-scope' || req.url === FOREIGN_WORKFLOW ? json(403, { message: 'Forbidden' }) : json(404, { message: 'Workflow not found.' });
    return json(200, { data: [], nextCursor: null });
  });
  await new Promise<void>((r) => n8n.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(n8n.address() as { port: number }).port}`;
});
afterAll(() => n8n.close());

const named = async (input: Parameters<typeof runDoctor>[0]) => (await runDoctor(input)).diagnoses.map((d) => d.mode);

describe('the doctor decision tree', () => {
  test('a working key: healthy, with what was checked in the notes', async () => {
    mode = 'accept';
    const r = await runDoctor({ url, key: KEY, encryptionKey: minted.encryptionKey });
    expect(r.diagnoses).toEqual([]);
    expect(r.notes.join('\n')).toContain('the key works straight on n8n');
  });

  test('a trailing newline is named, and the clean key is still checked', async () => {
    mode = 'accept';
    expect(await named({ url, key: `${KEY}\n` })).toEqual(['key-stray-characters']);
  });

  test('an empty key (an unexported variable) is key-missing', async () => {
    expect(await named({ url, key: '' })).toEqual(['key-missing']);
  });

  test('a key n8n refuses: unknown (signed right), cannot verify (secret changed), not issued here (another secret)', async () => {
    mode = 'unknown';
    expect(await named({ url, key: KEY, encryptionKey: minted.encryptionKey })).toEqual(['key-unknown-to-n8n']);
    mode = 'cannot-verify';
    expect(await named({ url, key: KEY, encryptionKey: minted.encryptionKey })).toEqual(['instance-secret-changed']);
    mode = 'unknown';
    expect(await named({ url, key: KEY, encryptionKey: 'another-encryption-key' })).toEqual(['key-not-issued-here']);
    expect(await named({ url, key: KEY })).toEqual(['key-rejected']);
  });

  test('an n8n whose database is not ready yet (503) is asked again: its answer once ready decides, never the 503', async () => {
    mode = 'unknown';
    notReadyAnswers = 1;
    const report = await runDoctor({ url, key: KEY, encryptionKey: minted.encryptionKey });
    expect(report.diagnoses.map((d) => d.mode)).toEqual(['key-unknown-to-n8n']);
    expect(report.diagnoses[0]!.evidence.join('; ')).toContain('n8n answers 401');
    expect(report.diagnoses[0]!.evidence.join('; ')).not.toContain('Database is not ready');
    expect(report.probes.map((p) => p.response?.status).filter((s) => s === 503)).toHaveLength(1);
    expect(notReadyAnswers).toBe(0);
  });

  test('/rest with a key that works on /api/v1 is rest-endpoint-with-key', async () => {
    mode = 'accept';
    expect(await named({ url, key: KEY, path: '/rest/workflows' })).toEqual(['rest-endpoint-with-key']);
  });

  test("a workflow the key's user cannot see is resource-not-visible-to-key; without the read scope, key-scope-missing", async () => {
    mode = 'accept';
    expect(await named({ url, key: KEY, path: FOREIGN_WORKFLOW })).toEqual(['resource-not-visible-to-key']);
    mode = 'no-read-scope';
    expect(await named({ url, key: KEY, path: FOREIGN_WORKFLOW })).toEqual(['key-scope-missing']);
  });

  test("n8n's clock ten minutes ahead (its Date header on /healthz) is n8n-clock-skewed; a second off is a note", async () => {
    mode = 'accept';
    clockAheadS = 600;
    try {
      expect(await named({ url, executions: { limit: 0 } })).toEqual(['n8n-clock-skewed']);
    } finally {
      clockAheadS = 0;
    }
    expect((await runDoctor({ url, executions: { limit: 0 } })).notes[0]).toMatch(/^n8n's clock: -?[01] s from this machine's$/);
  });

  test('nothing listening is n8n-unreachable', async () => {
    expect(await named({ url: 'http://127.0.0.1:1', key: KEY })).toEqual(['n8n-unreachable']);
  });
});
