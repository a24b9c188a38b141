import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diagnoseWebhook } from '../../src/parts/diagnosis/webhook.ts';
import type { FailureModeId } from '../../src/parts/diagnosis/modes.ts';

// Stand-ins answering as the allowlist scenarios recorded n8n 2.41.0 (and 1.116.2's wording)
// answering: a "proxy" whose webhook refuses the address it sees, and n8n straight, which lets
// this machine in or not. The scenario runs check that n8n really does; this pins the doctor's reading.
const REFUSED_2X: [number, string] = [403, 'IP is not allowed to access the webhook!'];
const REFUSED_1X: [number, string] = [403, 'IP is not whitelisted to access the webhook!'];
const ADMITTED: [number, string] = [200, '{"headers":{}}'];

function standIn(answers: Record<string, [number, string]>): Server {
  return createServer((req, res) => {
    const [status, body] = answers[req.url ?? ''] ?? [404, ''];
    res.writeHead(status).end(body);
  });
}

const servers: Server[] = [];
async function listen(answers: Record<string, [number, string]>): Promise<string> {
  const server = standIn(answers);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

let proxy = '';
let n8n = '';
beforeAll(async () => {
  proxy = await listen({
    '/webhook/listed': REFUSED_2X,
    '/webhook/not-listed': REFUSED_2X,
    '/webhook/old': REFUSED_1X,
    '/webhook/other-403': [403, 'Forbidden'],
  });
  n8n = await listen({ '/webhook/listed': ADMITTED, '/webhook/not-listed': REFUSED_2X, '/webhook/old': ADMITTED });
});
afterAll(() => {
  for (const s of servers) s.close();
});

async function named(path: string, straight?: string): Promise<{ modes: FailureModeId[]; evidence: string; calls: number }> {
  const modes: FailureModeId[] = [];
  const evidence: string[] = [];
  let calls = 0;
  await diagnoseWebhook(
    { url: `${proxy}${path}` },
    { timeoutMs: 5000, ...(straight ? { straight } : {}) },
    () => void calls++,
    (m, ...e) => (modes.push(m), evidence.push(...e)),
    [],
  );
  return { modes, evidence: evidence.join('\n'), calls };
}

describe("the doctor reads a webhook's IP allowlist refusing through a proxy", () => {
  test("refused through the proxy, admitted straight: n8n judges the proxy's address (N8N_PROXY_HOPS)", async () => {
    const r = await named('/webhook/listed', n8n);
    expect(r.modes).toEqual(['webhook-ip-refused']);
    expect(r.evidence).toContain('not refused straight');
    expect(r.evidence).toContain('N8N_PROXY_HOPS');
    expect(r.calls).toBe(2);
  });
  test("refused both ways: this machine's address is not on the list, and it says it cannot tell the proxy's part from here", async () => {
    const r = await named('/webhook/not-listed', n8n);
    expect(r.modes).toEqual(['webhook-ip-refused']);
    expect(r.evidence).toContain('refused there too: the address n8n sees this machine at straight is not on the list either');
    expect(r.evidence).toContain('run it from a client on the list');
  });
  test('1.x\'s wording ("whitelisted") is the same refusal', async () => {
    const r = await named('/webhook/old', n8n);
    expect(r.modes).toEqual(['webhook-ip-refused']);
    expect(r.evidence).toContain('not refused straight');
  });
  test("without n8n's own URL the doctor says what would tell the cases apart, and calls nothing more", async () => {
    const r = await named('/webhook/listed');
    expect(r.modes).toEqual(['webhook-ip-refused']);
    expect(r.evidence).toContain('--url');
    expect(r.calls).toBe(1);
  });
  test('a call straight to n8n is not compared with itself', async () => {
    const r = await named('/webhook/listed', proxy);
    expect(r.evidence).toContain('the call went straight to n8n');
    expect(r.calls).toBe(1);
  });
  test("another 403 is not the allowlist's", async () => expect((await named('/webhook/other-403', n8n)).modes).toEqual([]));
});
