import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diagnoseWebhook } from '../../src/parts/diagnosis/webhook.ts';
import type { FailureModeId } from '../../src/parts/diagnosis/modes.ts';
import { type Answer, RECORDED } from './doctor-webhook-allowlist.recorded.ts';

// Stand-ins answering as n8n 2.41.0 and 1.116.2 were recorded answering the doctor on the allowlist
// family's stack (doctor-webhook-allowlist.recorded.ts): a "proxy" and n8n straight, each answering
// a path with a recorded answer. The scenario runs check that n8n really does; this pins the doctor's reading.
const VERSIONS = Object.keys(RECORDED) as Array<keyof typeof RECORDED>;
const CASES = Object.keys(RECORDED['2.41.0']) as Array<keyof (typeof RECORDED)['2.41.0']>;

function standIn(answers: Record<string, Answer>): Server {
  return createServer((req, res) => {
    const [status, body] = answers[req.url ?? ''] ?? [404, ''];
    res.writeHead(status).end(body);
  });
}

const servers: Server[] = [];
async function listen(answers: Record<string, Answer>): Promise<string> {
  const server = standIn(answers);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/**
 * A path per version, case and phase: `broken` and `fixed` answer as recorded; `not-listed` is the
 * broken stack's refusal answered straight too (this machine not on the list: n8n's refusal, recorded, wherever it comes from).
 */
type Phase = 'broken' | 'fixed' | 'not-listed';
const path = (v: string, c: string, phase: Phase) => `/webhook/${v}/${c}/${phase}`;

let proxy = '';
let n8n = '';
beforeAll(async () => {
  const through: Record<string, Answer> = { '/webhook/other-403': [403, 'Forbidden'] };
  const straight: Record<string, Answer> = {};
  for (const v of VERSIONS)
    for (const c of CASES) {
      const r = RECORDED[v][c];
      Object.assign(through, { [path(v, c, 'broken')]: r.through, [path(v, c, 'fixed')]: r.fixed, [path(v, c, 'not-listed')]: r.through });
      Object.assign(straight, { [path(v, c, 'broken')]: r.straight, [path(v, c, 'not-listed')]: r.through });
    }
  proxy = await listen(through);
  n8n = await listen(straight);
});
afterAll(() => {
  for (const s of servers) s.close();
});

async function named(url: string, straight?: string): Promise<{ modes: FailureModeId[]; evidence: string; notes: string; calls: number }> {
  const modes: FailureModeId[] = [];
  const evidence: string[] = [];
  const notes: string[] = [];
  let calls = 0;
  await diagnoseWebhook(
    { url },
    { timeoutMs: 5000, ...(straight ? { straight } : {}) },
    () => void calls++,
    (m, ...e) => (modes.push(m), evidence.push(...e)),
    notes,
  );
  return { modes, evidence: evidence.join('\n'), notes: notes.join('\n'), calls };
}

describe("the doctor reads a webhook's IP allowlist refusing through a proxy, from a machine on the list", () => {
  for (const v of VERSIONS)
    for (const c of CASES) {
      test(`n8n ${v}, allowlist.${c}: refused through the proxy, admitted straight: n8n judges another address through it`, async () => {
        const r = await named(`${proxy}${path(v, c, 'broken')}`, n8n);
        expect(r.modes).toEqual(['webhook-ip-refused']);
        expect(r.evidence).toContain(`403 ${RECORDED[v][c].through[1]}`);
        expect(r.evidence).toContain(`straight to n8n, GET ${path(v, c, 'broken')}: 200 {"headers"`);
        expect(r.evidence).toContain('not refused straight');
        expect(r.evidence).toContain('N8N_PROXY_HOPS unset or smaller than the proxies in front');
        // The case the comparison leaves open, named rather than ruled out.
        expect(r.evidence).toContain('another network or through a NAT');
        expect(r.calls).toBe(2);
      });
      test(`n8n ${v}, allowlist.${c}: after the fix the call through the proxy is admitted: nothing named, nothing compared`, async () => {
        const r = await named(`${proxy}${path(v, c, 'fixed')}`, n8n);
        expect(r.modes).toEqual([]);
        expect(r.notes).toContain(`the webhook call: GET ${path(v, c, 'fixed')}: 200 {"headers"`);
        expect(r.calls).toBe(1);
      });
    }
});

describe('what the doctor cannot tell, and says so', () => {
  for (const v of VERSIONS)
    test(`n8n ${v}: refused both ways, the address n8n sees this machine at is not on the list, and the proxy's part is left open`, async () => {
      const r = await named(`${proxy}${path(v, 'nginx-no-proxy-hops', 'not-listed')}`, n8n);
      expect(r.modes).toEqual(['webhook-ip-refused']);
      expect(r.evidence).toContain('refused there too: the address n8n sees this machine at straight is not on the list either');
      expect(r.evidence).toContain('run it from a client on the list');
      expect(r.evidence).not.toContain('N8N_PROXY_HOPS');
      expect(r.calls).toBe(2);
    });

  test("without n8n's own URL the doctor says what would tell the cases apart, and calls nothing more", async () => {
    const r = await named(`${proxy}${path('2.41.0', 'nginx-no-proxy-hops', 'broken')}`);
    expect(r.modes).toEqual(['webhook-ip-refused']);
    expect(r.evidence).toContain('--url');
    expect(r.calls).toBe(1);
  });

  test('a call straight to n8n is not compared with itself', async () => {
    const r = await named(`${proxy}${path('1.116.2', 'two-nginx-one-hop', 'broken')}`, proxy);
    expect(r.evidence).toContain('the call went straight to n8n');
    expect(r.calls).toBe(1);
  });

  // Not recorded: a 403 of another kind (a proxy's own, say) is no allowlist's refusal.
  test("another 403 is not the allowlist's", async () => expect((await named(`${proxy}/webhook/other-403`, n8n)).modes).toEqual([]));
});
