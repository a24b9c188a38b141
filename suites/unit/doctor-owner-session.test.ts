import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';
import { RECORDED } from './doctor-key-refusal.recorded.ts';

// The owner's session end to end against a stand-in that answers as n8n 2.41.0 was recorded
// answering with its public API off: the sign-in's cookie is sent back on each read, and neither
// the password nor the cookie shows in anything the doctor reports.
const n8n = RECORDED['2.41.0'];
const PASSWORD = 'Owner-Password-For-The-Test-1';
const COOKIE = 'n8n-auth=eyJ.stand-in-session.cookie';

let server: Server;
let url = '';
/** The Cookie header each signed-in read arrived with. */
const cookies: Record<string, string | undefined> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (a: { status: number; body: string }, headers: Record<string, string> = {}) =>
      res.writeHead(a.status, { 'content-type': 'application/json', ...headers }).end(a.body);
    if (req.url === '/healthz') return send({ status: 200, body: '{"status":"ok"}' });
    if (req.url === '/api/v1/workflows') return send(req.headers['x-n8n-api-key'] ? n8n.publicApi.off.kept : n8n.publicApi.off.none);
    if (req.url === '/rest/login' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const ok = (JSON.parse(body) as { password?: string }).password === PASSWORD;
        if (!ok) return send(n8n.wrongPassword);
        send(n8n.owner.off.login, { 'set-cookie': `${COOKIE}; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax` });
      });
      return;
    }
    const signedIn = req.headers.cookie === COOKIE;
    cookies[req.url ?? ''] = req.headers.cookie;
    if (req.url === '/rest/settings') return send(signedIn ? n8n.owner.off.settings! : n8n.settingsWithoutLogin);
    if (req.url === '/rest/api-keys') return send(signedIn ? n8n.owner.off.apiKeys! : { status: 401, body: '{"status":"error","message":"Unauthorized"}' });
    if (req.url === '/rest/users') return send(signedIn ? n8n.owner.off.users! : { status: 401, body: '{"status":"error","message":"Unauthorized"}' });
    return send({ status: 404, body: '' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

describe("the doctor's owner session", () => {
  test("signed in, it reads the settings with the session's cookie and names the API off; no password or cookie in the report", async () => {
    const report = await runDoctor({ url, key: n8n.keys.kept, owner: { email: 'owner@authlab.test', password: PASSWORD }, executions: { limit: 0 } });
    expect(report.diagnoses.map((d) => d.mode)).toEqual(['public-api-disabled']);
    expect(cookies['/rest/api-keys']).toBe(COOKIE);
    const shown = JSON.stringify(report);
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain('stand-in-session');
    expect(report.probes.map((p) => p.label)).toContain("the owner's sign-in");
  });

  test("a refused sign-in is UNCHECKED with n8n's words; the key is judged with the rest (all three remain)", async () => {
    const report = await runDoctor({ url, key: n8n.keys.kept, owner: { email: 'owner@authlab.test', password: 'Wrong-1' }, executions: { limit: 0 } });
    expect(report.diagnoses.map((d) => d.mode)).toEqual(['key-rejected']);
    expect(report.unchecked).toContain(
      'what n8n says of its API and keys: the owner\'s sign-in was refused (401 "Wrong username or password. Do you have caps lock on?")',
    );
  });
});
