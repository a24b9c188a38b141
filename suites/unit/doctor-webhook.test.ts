import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diagnoseWebhook } from '../../src/parts/diagnosis/webhook.ts';
import type { FailureModeId } from '../../src/parts/diagnosis/modes.ts';

// A stand-in answering as the webhooks scenarios recorded n8n 1.116.2 and 2.41.0 answering; the
// scenario runs check that n8n really does, this pins the doctor's reading of the answers.
const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="Webhook"' };
const ANSWERS: Record<string, [number, Record<string, string>, string]> = {
  '/webhook-test/hook': [
    404,
    {},
    '{"code":404,"message":"The requested webhook \\"hook\\" is not registered.","hint":"Click the \'Execute workflow\' button"}',
  ],
  '/webhook/post-only': [404, {}, '{"code":404,"message":"This webhook is not registered for GET requests. Did you mean to make a POST request?"}'],
  '/webhook/header': [403, CHALLENGE, 'Authorization data is wrong!'],
  '/webhook/basic': [401, CHALLENGE, 'Authorization is required!'],
  '/webhook/no-credential': [500, CHALLENGE, 'No authentication data defined on node!'],
  '/webhook/proxy': [403, {}, '<html>403 Forbidden</html>'],
  '/webhook/ok': [200, {}, '{"message":"Workflow was started"}'],
};

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, headers, body] = ANSWERS[req.url ?? ''] ?? [404, {}, ''];
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

async function named(path: string): Promise<{ modes: FailureModeId[]; evidence: string[]; notes: string[] }> {
  const modes: FailureModeId[] = [];
  const evidence: string[] = [];
  const notes: string[] = [];
  await diagnoseWebhook(
    { url: `${base}${path}` },
    { timeoutMs: 5000 },
    () => undefined,
    (m, ...e) => (modes.push(m), evidence.push(...e)),
    notes,
  );
  return { modes, evidence, notes };
}

describe("the doctor reads a webhook's refusal from n8n's answer", () => {
  test("not registered, with n8n's hint as evidence", async () => {
    const r = await named('/webhook-test/hook');
    expect(r.modes).toEqual(['webhook-not-registered']);
    expect(r.evidence.join('\n')).toContain("n8n's hint: Click the 'Execute workflow' button");
  });
  test('another method', async () => expect((await named('/webhook/post-only')).modes).toEqual(['webhook-method-not-registered']));
  test("the node's own authentication, 401 or 403, by its challenge", async () => {
    expect((await named('/webhook/header')).modes).toEqual(['webhook-auth-refused']);
    expect((await named('/webhook/basic')).modes).toEqual(['webhook-auth-refused']);
  });
  test('no credential on the node', async () => expect((await named('/webhook/no-credential')).modes).toEqual(['webhook-auth-unconfigured']));
  test("a 403 without the node's challenge is not called the node's: a note", async () => {
    const r = await named('/webhook/proxy');
    expect(r.modes).toEqual([]);
    expect(r.notes.join('\n')).toContain('403');
  });
  test('an accepted call: nothing named', async () => expect((await named('/webhook/ok')).modes).toEqual([]));
});
