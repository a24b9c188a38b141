import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { unknownLabEntries } from '../../src/features/lab/lab-catalogue.ts';
import { writeLabCompose } from '../../src/features/lab/lab-compose.ts';
import { hintLadder } from '../../src/features/lab/lab-hints.ts';
import { giveaways, withoutComments } from '../../src/features/lab/learner-files.ts';
import { labFix, labScenarios, symptomRequest, type Lab } from '../../src/features/lab/labs.ts';

const KINDS = ['proxy-config', 'env', 'credential', 'clock', 'setting', 'client'] as const;
const state = {
  keyFile: 'api-key',
  n8nUrl: 'http://n8n',
  proxyUrl: 'http://proxy',
  proxyContainer: 'p',
  n8nContainer: 'n',
  workflowUrl: 'http://n8n/webhook/x',
};

/** Every file of a compose export the learner reads or edits, but its README (which carries the hints on purpose). */
function learnerFiles(dir: string): Array<[string, string]> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f !== 'README.md' && statSync(join(dir, f)).isFile())
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
}

describe('labs', () => {
  const labs = labScenarios();
  const exportable = labs.filter((l) => !l.lab.composeRefused);

  test('at least 25 labs, of every kind, each naming a scenario the catalogue holds', () => {
    expect(labs.length).toBeGreaterThanOrEqual(25);
    for (const kind of KINDS) expect(labs.filter((l) => l.lab.kind === kind).length, kind).toBeGreaterThan(0);
    expect(unknownLabEntries()).toEqual([]);
    expect(new Set(labs.map((l) => l.id)).size).toBe(labs.length);
  });

  test("each lab's --check has a fix to run: its named remedy, or the one the catalogue verified", () => {
    for (const lab of labs) expect(labFix(lab, lab.remedies).length, lab.id).toBeGreaterThan(0);
  });

  test('the hint ladder fits the kind: only proxy labs send the learner to nginx -T, and the last rung names the fix', () => {
    for (const lab of labs) {
      const ladder = hintLadder(lab, state);
      expect(ladder, lab.id).toHaveLength(4);
      const readsNginx = ladder.some((h) => h.includes('nginx -T'));
      expect(readsNginx, lab.id).toBe(lab.lab.kind === 'proxy-config' && lab.lab.proxy === 'nginx');
      expect(ladder[3], lab.id).toContain(labFix(lab, lab.remedies)[0]!.name);
    }
  });

  test('withoutComments drops comment lines and what leads the file', () => {
    expect(withoutComments('# the fault is here\n\n# more\nserver {\n    # inner\n    listen 80;\n}\n')).toBe('server {\n    listen 80;\n}\n');
  });

  test('giveaways finds a comment naming the fault, and not a plain line that does', () => {
    const lab = labs.find((l) => l.id === 'proxy.inheritance-trap') as Lab;
    expect(giveaways(lab, '# A location that adds one proxy_set_header of its own silently drops every server-level one')).not.toEqual([]);
    expect(giveaways(lab, '# proxy.inheritance-trap')).not.toEqual([]);
    expect(giveaways(lab, 'proxy_set_header X-Forwarded-Proto $scheme;')).toEqual([]);
    // The template the fault is built on explains it; the learner's copy must not.
    if (lab.lab.kind !== 'proxy-config') throw new Error('inheritance-trap is a proxy lab');
    return lab.lab.faultyConfig().then((raw) => {
      expect(giveaways(lab, raw)).not.toEqual([]);
      expect(giveaways(lab, withoutComments(raw))).toEqual([]);
    });
  });

  test("no learner's file of any lab says what is wrong: no comment line names the scenario, its title or its claim", async () => {
    for (const lab of exportable) {
      const dir = mkdtempSync(join(tmpdir(), 'authlab-lab-unit-'));
      await writeLabCompose(lab, '2.41.0', dir);
      for (const [name, text] of learnerFiles(dir)) expect(giveaways(lab, text), `${lab.id}: ${name}`).toEqual([]);
    }
  });

  test('no lab of a fault that happens on no version run (n8n-node.localhost-base-url)', () => {
    expect(labs.map((l) => l.id)).not.toContain('n8n-node.localhost-base-url');
  });

  test("the Header Auth webhook's export: setup makes the credential with the caller's value and the pasted newline, and the webhook that checks it; the README calls it with the caller's value", async () => {
    const lab = labs.find((l) => l.id === 'webhooks.header-auth-credential-trailing-newline') as Lab;
    const dir = mkdtempSync(join(tmpdir(), 'authlab-lab-unit-'));
    const project = await writeLabCompose(lab, '2.41.0', dir);
    expect(project.files).toContain('caller-value');
    expect(statSync(join(dir, 'caller-value')).mode & 0o777).toBe(0o600);
    const value = readFileSync(join(dir, 'caller-value'), 'utf8');
    const setup = JSON.parse(readFileSync(join(dir, 'lab-setup.json'), 'utf8')) as {
      credential: { type: string; data: { name: string; value: string } };
      workflow: { nodes: Array<{ type: string; parameters: { authentication: string; path: string } }> };
    };
    expect(setup.credential).toMatchObject({ type: 'httpHeaderAuth', data: { name: 'X-Hook-Token', value: `${value}\n` } });
    expect(setup.workflow.nodes[0]).toMatchObject({ type: 'n8n-nodes-base.webhook', parameters: { authentication: 'headerAuth', path: 'lab' } });
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('curl -s -H "X-Hook-Token: $(cat caller-value)" http://localhost:5678/webhook/lab');
  });

  test("the encryption-key lab: its export's symptom is n8n stopped, another key put in .env in place of the first; its hint reads the settings file from the stopped container", async () => {
    const lab = labs.find((l) => l.id === 'secrets.key-mismatch-refuses-start') as Lab;
    expect(lab.lab.kind).toBe('env');
    const dir = mkdtempSync(join(tmpdir(), 'authlab-lab-unit-'));
    await writeLabCompose(lab, '2.41.0', dir);
    const first = /^N8N_ENCRYPTION_KEY=(\w+)$/m.exec(readFileSync(join(dir, '.env'), 'utf8'))?.[1];
    expect(lab.lab.composeThen?.N8N_ENCRYPTION_KEY).toMatch(/^\w{32,}$/);
    expect(lab.lab.composeThen?.N8N_ENCRYPTION_KEY).not.toBe(first);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain("docker compose logs n8n | grep 'Mismatching encryption keys'");
    expect(readme).toContain('in place of its N8N_ENCRYPTION_KEY line');
    expect(hintLadder(lab, state)[2]).toContain('docker cp n:/home/node/.n8n/config');
  });

  test('a compose export keeps the key out of the compose file', async () => {
    for (const lab of exportable) {
      const dir = mkdtempSync(join(tmpdir(), 'authlab-lab-unit-'));
      await writeLabCompose(lab, '2.41.0', dir);
      const key = /^N8N_ENCRYPTION_KEY=([0-9a-f]{48})$/m.exec(readFileSync(join(dir, '.env'), 'utf8'))?.[1];
      expect(key, lab.id).toBeDefined();
      expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), lab.id).not.toContain(key);
    }
  });
});

describe('the MCP labs', () => {
  const labs = labScenarios();
  const mcp = labs.filter((l) => 'mcp' in l.lab.symptom);
  const running = { ...state, mcpUrl: 'http://n8n/mcp-server/http', tokenFile: 'mcp-authorization' };

  test('six labs of the mcp family, at least; those whose symptom is an MCP client send the Authorization its token file holds', () => {
    expect(labs.filter((l) => l.family === 'mcp').length).toBeGreaterThanOrEqual(6);
    expect(mcp.map((l) => l.id).sort()).toEqual([
      'mcp.server-access-disabled',
      'mcp.server-no-bearer-prefix',
      'mcp.server-public-api-key',
      'mcp.trigger-bearer-wrong',
    ]);
    for (const lab of mcp) {
      const request = symptomRequest(lab, running);
      expect(request, lab.id).toContain('-H "Authorization: $(cat mcp-authorization)"');
      expect(request, lab.id).toMatch(/"method":"initialize".* http:\/\/n8n\/mcp-server\/http$/);
    }
  });

  test("the doctor's rung of an MCP lab hands it the client's URL and token file; the kind's rungs never send the learner to nginx or the public API", () => {
    for (const lab of mcp) {
      const ladder = hintLadder(lab, running);
      expect(ladder[1], lab.id).toBe('Ask the doctor: authlab doctor --mcp-url http://n8n/mcp-server/http --mcp-token-file mcp-authorization');
      expect(ladder.join('\n'), lab.id).not.toMatch(/nginx -T|X-N8N-API-KEY/);
    }
  });

  test('the proxy lab of the MCP OAuth discovery starts the learner at the metadata document, not at the public API', () => {
    const lab = labs.find((l) => l.id === 'mcp.server-discovery-prefix-only') as Lab;
    expect(symptomRequest(lab, running)).toBe('curl -s http://proxy/.well-known/oauth-protected-resource/mcp-server/http');
    expect(hintLadder(lab, running)[0]).toContain('curl -s http://n8n/.well-known/oauth-protected-resource/mcp-server/http');
    expect(hintLadder(lab, running)[0]).not.toContain('X-N8N-API-KEY');
  });

  test('a lab without a compose export says why, and writeLabCompose refuses it', async () => {
    const refused = labs.filter((l) => l.lab.composeRefused);
    expect(refused.map((l) => l.id).sort()).toEqual([
      'allowlist.nginx-hops-exceed-proxies',
      'allowlist.nginx-no-proxy-hops',
      'allowlist.traefik-no-proxy-hops',
      'allowlist.two-nginx-one-hop',
      'forms.chat-basic-auth-wrong',
      'forms.form-basic-auth-wrong',
      'mail-links.invite-link-localhost',
      'mcp.client-tool-wrong-token',
      'mcp.server-access-disabled',
      'mcp.server-discovery-prefix-only',
      'mcp.server-no-bearer-prefix',
      'mcp.server-public-api-key',
      'mcp.trigger-bearer-wrong',
      'mfa.server-clock-skewed',
      'mfa.wrong-code',
    ]);
    for (const lab of refused) {
      expect(lab.lab.composeRefused!.length, lab.id).toBeGreaterThan(40);
      await expect(writeLabCompose(lab, '2.41.0', mkdtempSync(join(tmpdir(), 'authlab-lab-unit-')))).rejects.toThrow(/has no compose export/);
    }
  });
});
