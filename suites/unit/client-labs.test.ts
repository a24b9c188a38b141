import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { BrokenScenario, ScenarioContext } from '../../src/core/types.ts';
import { asClientLeftIt, writeClientFiles } from '../../src/features/lab/lab-clients.ts';
import { labDir } from '../../src/features/lab/lab-state.ts';
import { hintLadder } from '../../src/features/lab/lab-hints.ts';
import { levelOf } from '../../src/features/lab/lab-plan.ts';
import { labScenario, symptomCommand, symptomRequest } from '../../src/features/lab/labs.ts';

/** A running lab's names, as the state of a lab of the allowlist, forms or mfa family holds them. */
const running = {
  keyFile: 'api-key',
  n8nUrl: 'http://localhost:5678',
  n8nContainer: 'n8n-c',
  workflowUrl: 'http://nginx/webhook/abc',
  clientContainer: 'tap-c',
  forwardedFor: '172.20.0.3',
  doctorWebhookUrl: 'http://127.0.0.1:32780/webhook/doc',
  tokenFile: 'visitor-authorization',
  givenFile: 'credential-user-password',
  member: { email: 'm@authlab.test', passwordFile: 'member-password', authenticatorFile: 'authenticator-code', codeFile: 'mfa-code' },
};

const ALLOWLIST = ['allowlist.nginx-no-proxy-hops', 'allowlist.traefik-no-proxy-hops', 'allowlist.two-nginx-one-hop', 'allowlist.nginx-hops-exceed-proxies'];
const NEW_LABS = [...ALLOWLIST, 'forms.form-basic-auth-wrong', 'forms.chat-basic-auth-wrong', 'mfa.server-clock-skewed', 'mfa.wrong-code'];

describe('the labs of the allowlist, forms and mfa families', () => {
  test("an allowlist lab's symptom is the webhook called from a container on the stack network, through the proxy; the forged one sends the listed address", () => {
    for (const id of ALLOWLIST.slice(0, 3)) {
      const lab = labScenario(id);
      expect(lab.lab.kind, id).toBe('env');
      expect(symptomCommand(lab, running), id).toMatch(/^docker exec tap-c node -e '.*fetch\(process\.argv\[1\].*' http:\/\/nginx\/webhook\/abc$/);
    }
    const forged = symptomCommand(labScenario('allowlist.nginx-hops-exceed-proxies'), running);
    expect(forged).toMatch(/^docker exec n8n-c node -e '.*' http:\/\/nginx\/webhook\/abc '\{"X-Forwarded-For":"172\.20\.0\.3"\}'$/);
  });

  test("the first rung of a refused allowlist lab calls the same webhook straight to n8n from the same client; the forged one's, without the header", () => {
    const refused = hintLadder(labScenario('allowlist.nginx-no-proxy-hops'), running)[0]!;
    expect(refused).toContain("docker exec tap-c node -e '");
    expect(refused).toContain(' http://n8n-app:5678/webhook/abc.');
    const forged = hintLadder(labScenario('allowlist.nginx-hops-exceed-proxies'), running)[0]!;
    expect(forged).toContain(' http://nginx/webhook/abc)');
    expect(forged).not.toContain('172.20.0.3');
  });

  test("the doctor's rung of a refused allowlist lab hands it n8n's URL and the webhook of its own through the proxy; the forged one's says why it cannot see it", () => {
    for (const id of ALLOWLIST.slice(0, 3))
      expect(hintLadder(labScenario(id), running)[1], id).toMatch(
        /^Ask the doctor from this machine, .*: authlab doctor --url http:\/\/localhost:5678 --webhook-url http:\/\/127\.0\.0\.1:32780\/webhook\/doc$/,
      );
    expect(hintLadder(labScenario('allowlist.nginx-hops-exceed-proxies'), running)[1]).toMatch(/^The doctor cannot see this one from outside/);
  });

  test('a form visitor is shown the status line of the empty 401; a chat visitor posts a message; both send the Authorization of their file', () => {
    expect(symptomRequest(labScenario('forms.form-basic-auth-wrong'), running)).toBe(
      'curl -si -H "Authorization: $(cat visitor-authorization)" http://nginx/webhook/abc',
    );
    expect(symptomRequest(labScenario('forms.chat-basic-auth-wrong'), running)).toMatch(
      /^curl -s -H "Authorization: \$\(cat visitor-authorization\)" -H 'Content-Type: application\/json' -d '\{"action":"sendMessage".*\}' http:\/\/nginx\/webhook\/abc$/,
    );
    const doctor = hintLadder(labScenario('forms.chat-basic-auth-wrong'), running)[1];
    expect(doctor).toBe(
      'Ask the doctor, handing it the visit as the visitor makes it: authlab doctor --webhook-url http://nginx/webhook/abc --webhook-method POST --webhook-header "Authorization: $(cat visitor-authorization)"',
    );
  });

  test("a member's sign-in reads its password and code from files; the clock lab's symptom is that sign-in, not the two clocks", () => {
    const clock = labScenario('mfa.server-clock-skewed');
    expect(clock.lab.kind).toBe('clock');
    const signIn = symptomCommand(clock, running);
    expect(signIn).toContain('\\"password\\":\\"$(cat member-password)\\",\\"mfaCode\\":\\"$(cat mfa-code)\\"');
    expect(signIn).toMatch(/ http:\/\/localhost:5678\/rest\/login$/);
    expect(signIn).not.toContain('date -u');
    expect(hintLadder(clock, running)[2]).toContain('docker exec n8n-c date -u; date -u');
  });

  test('the first two rungs never name the fault: no N8N_PROXY_HOPS, no clock, no password or code compared', () => {
    for (const id of NEW_LABS) {
      const [where, second] = hintLadder(labScenario(id), running);
      expect(`${where} ${second}`, id).not.toMatch(/N8N_PROXY_HOPS|FAKETIME|clock|skew|wrong|hops/i);
    }
  });

  test('levels: a refused allowlist lab is intermediate (n8n recreated), a forged one advanced (blind doctor too), a form visitor beginner, a typed code intermediate', () => {
    expect(levelOf(labScenario('allowlist.nginx-no-proxy-hops')).level).toBe('intermediate');
    expect(levelOf(labScenario('allowlist.nginx-hops-exceed-proxies')).level).toBe('advanced');
    expect(levelOf(labScenario('forms.form-basic-auth-wrong')).level).toBe('beginner');
    expect(levelOf(labScenario('mfa.wrong-code')).level).toBe('intermediate');
    expect(levelOf(labScenario('mfa.server-clock-skewed')).level).toBe('advanced');
  });

  test("--check of a visitor lab runs the fix's probes with the user and password the visitor's file carries, then puts the credential's back", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'authlab-visitor-')), 'visitor-authorization');
    writeFileSync(file, `Basic ${Buffer.from('form-user:what:the visitor typed').toString('base64')}\n`);
    const trigger = { user: 'form-user', password: 'the-credential' };
    const broken = { state: { trigger } } as unknown as BrokenScenario;
    const seen = await asClientLeftIt(labScenario('forms.form-basic-auth-wrong'), broken, { tokenFile: file }, async () => ({ ...trigger }));
    expect(seen).toEqual({ user: 'form-user', password: 'what:the visitor typed' });
    expect(trigger).toEqual({ user: 'form-user', password: 'the-credential' });
    // Any other lab: the probes as they are.
    const other = await asClientLeftIt(labScenario('mfa.wrong-code'), broken, { tokenFile: file }, async () => ({ ...trigger }));
    expect(other).toEqual(trigger);
  });

  test("a visitor lab's file holds the Authorization of the symptom's call, made first where the fault's state has none yet", async () => {
    process.env.AUTHLAB_HOME = mkdtempSync(join(tmpdir(), 'authlab-home-'));
    const lab = labScenario('forms.chat-basic-auth-wrong');
    mkdirSync(labDir(lab.id), { recursive: true });
    const state: { trigger: { url: string }; doctorCall?: { headers: Array<[string, string]> } } = { trigger: { url: 'http://n8n/webhook/w/chat' } };
    let calls = 0;
    const broken = {
      state,
      symptom: async () => {
        calls += 1;
        state.doctorCall = { headers: [['Authorization', 'Basic d3Jvbmc=']] };
        return [];
      },
    } as unknown as BrokenScenario;
    const files = await writeClientFiles(lab, {} as ScenarioContext, broken);
    expect(calls).toBe(1);
    expect(files.workflowUrl).toBe('http://n8n/webhook/w/chat');
    expect(readFileSync(files.tokenFile!, 'utf8')).toBe('Basic d3Jvbmc=');
    await writeClientFiles(lab, {} as ScenarioContext, broken);
    expect(calls, 'the call the state keeps is not made again').toBe(1);
  });
});
