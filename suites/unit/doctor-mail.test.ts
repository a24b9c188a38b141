import { createServer } from 'node:http';
import { describe, expect, test } from 'vitest';
import { runDoctor } from '../../src/parts/diagnosis/doctor.ts';
import { type MailProbe, diagnoseMail } from '../../src/parts/diagnosis/mail-check.ts';
import { mailedLinkBase, PROBE_ADDRESS } from '../../src/parts/diagnosis/mailer.ts';
import type { FailureModeId } from '../../src/parts/diagnosis/modes.ts';
import { record } from '../../src/parts/client/exchange.ts';
import { type Answer, FORGOT, settingsV1, settingsV2 } from './doctor-mail.recorded.ts';

// Stand-ins answering as n8n 2.41.0 and 1.116.2 were recorded answering (doctor-mail.recorded.ts);
// the mail-links family's scenarios check that n8n really does.
const answered = (url: string, [status, body]: Answer) =>
  record({ label: url, via: 'raw-socket', request: { method: 'GET', url, headers: [] }, response: { status, body } });

/** The doctor's --mail checks against fixed answers: the modes named, the notes and what went unchecked. */
async function mailChecks(forgot: Answer, settings: Answer, proxyUrl?: string) {
  const sent: Array<{ path: string; json?: unknown }> = [];
  const probe: MailProbe = async (_label, base, path, json) => {
    sent.push({ path, json });
    return answered(`${base}${path}`, path === '/rest/forgot-password' ? forgot : settings);
  };
  const modes: FailureModeId[] = [];
  const evidence: string[] = [];
  const notes: string[] = [];
  const unchecked: string[] = [];
  await diagnoseMail('http://127.0.0.1:5678', proxyUrl, probe, (m, ...e) => (modes.push(m), evidence.push(...e)), notes, unchecked);
  return { modes, evidence: evidence.join('\n'), notes: notes.join('\n'), unchecked: unchecked.join('\n'), sent };
}

describe("the doctor's --mail checks read n8n's answers", () => {
  test('no mail server: "forgot password" for nobody answers 500 "Email sending must be set up" (both versions)', async () => {
    const r = await mailChecks(FORGOT.notSetUp, settingsV2('http://localhost:5678', false));
    expect(r.modes).toEqual(['mail-not-set-up']);
    expect(r.evidence).toContain('Email sending must be set up');
    expect(r.sent[0]).toEqual({ path: '/rest/forgot-password', json: { email: PROBE_ADDRESS } });
  });

  test('a mail server set up: 200 for nobody is a note that says what it cannot tell', async () => {
    const r = await mailChecks(FORGOT.setUp, settingsV2('http://localhost:5678'));
    expect(r.modes).toEqual([]);
    expect(r.notes).toContain("n8n's mailer is set up");
    expect(r.notes).toContain('n8n 2.x answers 200 even when the send fails');
  });

  test("n8n's rate limit is unchecked, not a finding", async () => {
    const r = await mailChecks(FORGOT.tooMany, settingsV1('http://localhost:5678'));
    expect(r.modes).toEqual([]);
    expect(r.unchecked).toContain('429');
  });

  test('behind a proxy without a base URL, the mailed links point at localhost: 2.41.0 (OIDC login URL) and 1.116.2 (urlBaseEditor)', async () => {
    for (const settings of [settingsV2('http://localhost:5678'), settingsV1('http://localhost:5678')]) {
      const r = await mailChecks(FORGOT.setUp, settings, 'http://nginx');
      expect(r.modes).toEqual(['mail-links-elsewhere']);
      expect(r.evidence).toContain('http://localhost:5678');
      expect(r.evidence).toContain('http://nginx');
    }
  });

  test('with N8N_EDITOR_BASE_URL the proxy URL, the links point where users reach n8n', async () => {
    for (const settings of [settingsV2('http://nginx'), settingsV1('http://nginx')]) {
      const r = await mailChecks(FORGOT.setUp, settings, 'http://nginx/');
      expect(r.modes).toEqual([]);
      expect(r.notes).toContain('where users reach it');
    }
  });

  test('without --proxy-url the base URL is a note; settings that name none are unchecked', async () => {
    expect((await mailChecks(FORGOT.setUp, settingsV1('http://localhost:5678'))).notes).toContain('n8n builds the links it mails on http://localhost:5678');
    expect((await mailChecks(FORGOT.setUp, [200, '{"data":{}}'])).unchecked).toContain('do not name its base URL');
    expect(mailedLinkBase(answered('x', [200, 'not json']))).toBeUndefined();
  });
});

describe('the whole doctor with --mail', () => {
  test('names mail-not-set-up against a stand-in with no mail server, and sends no key', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const json = ([status, body]: Answer) => res.writeHead(status, { 'content-type': 'application/json', date: new Date().toUTCString() }).end(body);
      req.resume().on('end', () => {
        if (req.url === '/healthz') return json([200, '{"status":"ok"}']);
        if (req.url === '/rest/forgot-password' && req.method === 'POST') return json(FORGOT.notSetUp);
        if (req.url === '/rest/settings') return json(settingsV2('http://localhost:5678', false));
        return json([401, '{"message":"Unauthorized"}']);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const r = await runDoctor({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, mail: true, executions: { limit: 0 } });
      expect(r.diagnoses.map((d) => d.mode)).toEqual(['mail-not-set-up']);
      expect(seen).toContain('POST /rest/forgot-password');
    } finally {
      server.close();
    }
  });
});
