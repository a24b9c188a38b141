import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import type { BrokenScenario, ScenarioContext } from '../../src/core/types.ts';
import type { MailedLinks } from '../../src/families/mail-links/invite-links.ts';
import { hintLadder } from '../../src/features/lab/lab-hints.ts';
import { labPlans, levelOf } from '../../src/features/lab/lab-plan.ts';
import { labScenario, symptomCommand } from '../../src/features/lab/labs.ts';
import { MAIL_CLIENT } from '../../src/features/lab/mailed-link.ts';

const ID = 'mail-links.invite-link-localhost';

/** A running lab's names, as the state of the invitation lab holds them. */
const running = {
  keyFile: 'api-key',
  n8nUrl: 'http://127.0.0.1:41001',
  proxyUrl: 'http://127.0.0.1:41002',
  n8nContainer: 'n8n-c',
  mail: {
    container: 'mail-c',
    openScript: '/home/u/.authlab/labs/x/open-mailed-link.js',
    mailboxUrl: 'http://127.0.0.1:41003/messages',
    publicUrl: 'http://nginx/',
  },
};

/** The mail client run as `docker exec -i ... node - < file` runs it (its script on stdin), against a mailbox holding `messages(origin)`; any other path answers JSON. */
async function mailClientSees(messages: (origin: string) => unknown[]): Promise<string> {
  let origin = '';
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/messages')) return void res.end(JSON.stringify(messages(origin)));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"inviter":{"firstName":"Owner"}}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const child = spawn(process.execPath, ['-'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    child.stdin.end(MAIL_CLIENT.replace(/http:\/\/localhost:\d+\/messages/, `${origin}/messages`));
    await closed;
    return out;
  } finally {
    server.close();
  }
}

describe('the invitation lab (mail-links)', () => {
  const lab = labScenario(ID);

  test("an env lab, advanced (the symptom is in a mail; n8n recreated); it breaks where the family's runs saw it, the default among them", () => {
    expect(lab.lab.kind).toBe('env');
    expect(levelOf(lab)).toEqual({
      level: 'advanced',
      steps: [
        "the symptom is in a workflow's execution, n8n's log or a mail n8n sent, not in the answer to a request",
        "the edit is n8n's environment or clock: n8n is recreated with it",
      ],
    });
    const plan = labPlans([lab]).plans[0]!;
    expect(plan.breaks).toEqual(expect.arrayContaining(['1.116.2', '2.41.0']));
    expect(plan.breaksOnDefault).toBe(true);
    expect(plan.noExport).toMatch(/mail n8n sends/);
  });

  test("its symptom is the invitee's mail client, run on the invitee's machine: the script handed in the lab's folder", () => {
    expect(symptomCommand(lab, running)).toBe('docker exec -i mail-c node - < /home/u/.authlab/labs/x/open-mailed-link.js');
  });

  test('the first two rungs lead to where the link comes from and to the doctor at the public name, never naming the variable', () => {
    const [where, doctor, , fix] = hintLadder(lab, running);
    expect(where).toContain('docker exec -i mail-c node - < ');
    expect(where).toContain('http://nginx/');
    expect(doctor).toBe(
      'Ask the doctor where the links n8n mails point, against the URL the invitee opens (NGINX by its name on the stack network, reached here at its published port): authlab doctor --url http://127.0.0.1:41001 --proxy-url http://nginx --connect-to nginx:80:127.0.0.1:41002 --mail',
    );
    expect(`${where} ${doctor}`).not.toMatch(/N8N_EDITOR_BASE_URL|WEBHOOK_URL|N8N_HOST|localhost|base URL/i);
    expect(fix).toContain('set N8N_EDITOR_BASE_URL');
  });

  test("--apply and --check have the owner invite again: the fix's probes then open the new invitation's link", async () => {
    const sent: unknown[] = [];
    const link = 'http://nginx/signup?token=abc.def';
    const ctx = {
      n8n: {
        client: {
          call: async (_method: string, _path: string, opts: { body: unknown }) => {
            sent.push(opts.body);
            return { status: 200, json: { data: [{ user: { id: 'u2', emailSent: true } }] } };
          },
        },
      },
      stack: {
        services: {
          mailServer: { mailTo: async (to: string) => [{ at: 't', from: 'n8n', to: [to], subject: 'invited', html: `<a href="${link}">`, text: '' }] },
        },
      },
    } as unknown as ScenarioContext;
    const state = { invitation: {} } as MailedLinks;
    const checks = await lab.lab.renew!.run(ctx, { state } as unknown as BrokenScenario);
    expect(checks.map((c) => c.ok)).toEqual([true]);
    expect(sent).toHaveLength(1);
    expect(state.fixed?.link).toBe(link);
  });

  test("the mail client prints the newest mail's link to /signup (references decoded) without its query, and what it and the signup page's check answer", async () => {
    const seen = await mailClientSees((origin) => [
      { at: '1', to: ['old@authlab.test'], subject: 'older', html: '', text: '' },
      {
        at: '2',
        to: ['new@authlab.test'],
        subject: 'You have been invited',
        html: `<a href="${origin}/signup?inviterId&#x3D;a1&amp;inviteeId&#x3D;b2">Accept</a>`,
        text: '',
      },
    ]);
    const lines = seen.trim().split('\n');
    expect(lines[0]).toBe('the newest mail: "You have been invited" to new@authlab.test at 2');
    expect(lines[1]).toMatch(/^its link: http:\/\/127\.0\.0\.1:\d+\/signup\?\.\.\. /);
    expect(seen).not.toContain('inviteeId');
    expect(lines[2]).toBe('opening it from this machine: 200 application/json {"data":{"inviter":{"firstName":"Owner"}}}');
    expect(lines[3]).toBe(`the signup page's check of it: 200 application/json {"data":{"inviter":{"firstName":"Owner"}}}`);
    expect(await mailClientSees(() => [])).toBe('no mail received yet\n');
  });
});
