import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { labDir, readLabState } from '../src/features/lab/lab-state.ts';
import { pidAlive } from '../src/docker/cleanup.ts';
import { authlab, expectPromptExit, leftBehind } from './support/cli.ts';
import { freePort, holdPort, releasePort } from './support/compose-lab.ts';
import { checked, downLeavesNothing, home, learnerCurl, sh, startLab } from './support/lab-run.ts';
import { queuedTimeout, testSlot } from './support/slots.ts';
import { testVersions } from './support/versions.ts';

const env = { AUTHLAB_HOME: home };
const LAB = 'proxy.blanked-header';
const ENV_LAB = 'endpoints.public-api-disabled';
const HOPS_LAB = 'proxy.forwarded-for-without-proxy-hops';
const CADDY_LAB = 'proxy.caddy-header-removed';
const CLOCK_LAB = 'clock.expiry-judged-by-fast-clock';
const KEY_LAB = 'secrets.key-mismatch-refuses-start';
/** The labs this suite starts, side by side in the worker's shared slots. */
const LIVE_LABS = [LAB, ENV_LAB, HOPS_LAB, CADDY_LAB, CLOCK_LAB, KEY_LAB];
/** A lab whose test restarts n8n several times (each --apply; each --check of the N8N_PROXY_HOPS lab): a boot takes minutes on a busy machine. */
const SLOW_LAB_MS = 30 * 60_000;
const HEADER_DELETION_LINE = /^\s*header_up\s+-X-N8N-API-KEY\s*$/m;
const DISABLING_LINE = /^N8N_PUBLIC_API_DISABLED=true\n/m;
const BLANKING_LINE = /^\s*proxy_set_header\s+X-N8N-API-KEY\s+"";\s*$/m;

/** A live lab's test, side by side with the others in the worker's shared slots: each lab has its own id (state), run id and ports. */
function labTest(name: string, body: () => Promise<void>): void {
  test.concurrent(name, { timeout: queuedTimeout(LIVE_LABS.length, SLOW_LAB_MS) }, ({ signal }) => testSlot(signal, body));
}

describe('labs: break it, diagnose it, fix it', () => {
  afterAll(async () => {
    for (const id of LIVE_LABS) if (await readLabState(id)) await authlab(['lab', id, '--down'], env);
  });

  test('lab list names at least 40 labs, each with the kind of place its fault lives in and its level', async () => {
    const r = await authlab(['lab', 'list'], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => / (proxy-config|env|credential|clock|setting|client) +(beginner|intermediate|advanced) /.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const kind of ['proxy-config', 'env', 'credential', 'clock', 'setting', 'client'])
      expect(r.stdout).toMatch(new RegExp(` ${kind} +(beginner|intermediate|advanced) `));
    expect(r.stdout).toMatch(new RegExp(`^${LAB.replace('.', '\\.')} +proxy-config `, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^${ENV_LAB.replace('.', '\\.')} +env `, 'm'));
  });

  test('an unknown lab lists the valid ones (exit 2)', async () => {
    const r = await authlab(['lab', 'proxy.nope'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`The labs: .*\\b${LAB.replace('.', '\\.')}\\b`));
  });

  test('a --port that is taken, or is not a port, is named in one line before anything starts (exit 2)', async () => {
    const held = await holdPort();
    try {
      const taken = await authlab(['lab', LAB, '--port', String(held.port)], env);
      expect(taken.code).toBe(2);
      expect(taken.stderr.trim()).toBe(
        `authlab: port ${held.port} on 127.0.0.1 is in use by another program or container; pick another with --port, or stop what listens there`,
      );
      expect(await readLabState(LAB)).toBeUndefined();
    } finally {
      await releasePort(held.server);
    }
    const notAPort = await authlab(['lab', LAB, '--port', '80a'], env);
    expect(notAPort.code).toBe(2);
    expect(notAPort.stderr.trim().split('\n')).toEqual(['authlab: --port takes a port number from 1 to 65535, not "80a"']);
  });

  labTest('a lab starts broken, the doctor names it, a learner fixes the config by hand, --check turns green, --down leaves nothing', async () => {
    const version = testVersions().at(-1)!;
    // A fixed port, as a trainer's handout would give: found free, then handed to the lab.
    const port = await freePort();
    const start = await authlab(['lab', LAB, '--n8n', version, '--port', String(port)], env);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain(`through NGINX: http://127.0.0.1:${port}`);
    expectPromptExit(start, 'authlab lab <id> (its own process holds the stack)');
    expect(start.stdout).toContain('The symptom to reproduce:');
    expect(start.stdout).toMatch(/hint 1\/4: /);
    const state = (await readLabState(LAB))!;
    expect(state.status).toBe('ready');
    const key = readFileSync(state.keyFile!, 'utf8');
    expect(start.stdout + start.stderr).not.toContain(key);

    // The symptom, as the learner reproduces it with the printed command.
    const symptom = await learnerCurl(state.proxyUrl!, state.keyFile!);
    expect(symptom.stdout).toBe('401');
    const notYet = await authlab(['lab', LAB, '--check'], env);
    expect(notYet.code, notYet.stdout + notYet.stderr).toBe(1);
    expect(notYet.stdout).toContain('not fixed yet');

    const doctor = ['doctor', '--url', state.n8nUrl!, '--proxy-url', state.proxyUrl!, '--key-file', state.keyFile!];
    const diagnosed = await authlab(doctor, env);
    expect(diagnosed.code, diagnosed.stdout).toBe(1);
    expect(diagnosed.stdout).toMatch(/^FOUND {3}proxy-loses-key: /m);
    expect(diagnosed.stdout).not.toContain(key);

    // The learner's fix: delete the blanking line in the workspace copy, then the printed commands.
    const [file] = state.workspace!.files;
    const config = readFileSync(file!, 'utf8');
    expect(config).toMatch(BLANKING_LINE);
    writeFileSync(file!, config.replace(BLANKING_LINE, ''));
    for (const command of state.workspace!.apply) await sh('sh', ['-c', command]);
    const fixed = await authlab(['lab', LAB, '--check'], env);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('fixed: the probes of the verified fix pass');
    const healthy = await authlab(doctor, env);
    expect(healthy.code, healthy.stdout).toBe(0);
    expect(healthy.stdout).toContain('healthy: no failure mode found');

    const reset = await authlab(['lab', LAB, '--reset'], env);
    expect(reset.code, reset.stderr).toBe(0);
    expect((await authlab(['lab', LAB, '--check'], env)).code).toBe(1);
    expect(readFileSync(file!, 'utf8')).toMatch(BLANKING_LINE);

    const down = await authlab(['lab', LAB, '--down'], env);
    expect(down.code, down.stderr).toBe(0);
    expectPromptExit(down, 'authlab lab <id> --down');
    expect(pidAlive(state.pid)).toBe(false);
    expect(await leftBehind(state.runId)).toEqual({ containers: [], networks: [], volumes: [] });
    expect(existsSync(state.keyFile!)).toBe(false);
  });

  labTest("an env-file lab as a learner runs it: the symptom, n8n's .env edited, --apply, --check green, --down leaves nothing", async () => {
    const start = await authlab(['lab', ENV_LAB, '--n8n', testVersions().at(-1)!], env);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).not.toContain('through NGINX');
    expect(start.stdout).toContain(`authlab lab ${ENV_LAB} --apply`);
    // The fault is the exercise's answer: said to the trainer in fault.log, never on the learner's screen.
    expect(start.stdout + start.stderr).not.toMatch(/N8N_PUBLIC_API_DISABLED|fault applied/);
    expect(start.stdout).toMatch(/the fault is in place \(\d+ checks? passed\); find it/);
    const state = (await readLabState(ENV_LAB))!;
    expect(readFileSync(join(labDir(ENV_LAB), 'fault.log'), 'utf8')).toMatch(/^fault applied: .*N8N_PUBLIC_API_DISABLED/m);
    const symptom = await learnerCurl(state.n8nUrl!, state.keyFile!);
    expect(symptom.stdout).not.toBe('200');
    expect((await authlab(['lab', ENV_LAB, '--check'], env)).code).toBe(1);
    const hint = await authlab(['lab', ENV_LAB, '--hint', '3'], env);
    expect(hint.stdout).toContain('printenv');
    expect(hint.stdout).not.toContain('nginx -T');

    // The learner's fix: the line out of n8n's .env, then the printed command that makes it live.
    const [file] = state.workspace!.files;
    const dotenv = readFileSync(file!, 'utf8');
    expect(dotenv).toMatch(DISABLING_LINE);
    expect(dotenv).not.toMatch(/^\s*#/m);
    writeFileSync(file!, dotenv.replace(DISABLING_LINE, ''));
    const applied = await authlab(['lab', ENV_LAB, '--apply'], env);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const fixed = await authlab(['lab', ENV_LAB, '--check'], env);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);

    await downLeavesNothing(ENV_LAB, state);
  });

  labTest(
    "the N8N_PROXY_HOPS lab: --check judges n8n's first login through the proxy, so --apply without the fix stays red; N8N_PROXY_HOPS=1 in n8n's .env turns it green",
    async () => {
      const state = await startLab(HOPS_LAB);
      const [file] = state.workspace!.files;
      const dotenv = readFileSync(file!, 'utf8');
      expect(dotenv).not.toMatch(/^N8N_PROXY_HOPS=/m);
      // --apply recreates n8n and signs in straight to it: that alone must not pass for the fix.
      const unchanged = await authlab(['lab', HOPS_LAB, '--apply'], env);
      expect(unchanged.code, unchanged.stdout + unchanged.stderr).toBe(0);
      const notYet = await authlab(['lab', HOPS_LAB, '--check'], env);
      expect(notYet.code, notYet.stdout + notYet.stderr).toBe(1);
      expect(notYet.stdout).toMatch(/not yet .*X-Forwarded-For/);

      writeFileSync(file!, `${dotenv}N8N_PROXY_HOPS=1\n`);
      const applied = await authlab(['lab', HOPS_LAB, '--apply'], env);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const fixed = await authlab(['lab', HOPS_LAB, '--check'], env);
      expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
      // The state follows n8n to its new container: the printed commands still reach it.
      const after = (await readLabState(HOPS_LAB))!;
      expect((await fetch(`${after.n8nUrl}/healthz`)).status).toBe(200);

      await downLeavesNothing(HOPS_LAB, state);
    },
  );

  labTest(
    'a Caddy lab as a learner runs it: 401 through Caddy, the header_up deletion out of the Caddyfile, the printed commands, --check green, --down leaves nothing',
    async () => {
      const state = await startLab(CADDY_LAB);
      const symptom = await learnerCurl(state.proxyUrl!, state.keyFile!);
      expect(symptom.stdout).toBe('401');
      expect(await checked(CADDY_LAB)).toBe(1);
      const [file] = state.workspace!.files;
      const caddyfile = readFileSync(file!, 'utf8');
      expect(caddyfile).toMatch(HEADER_DELETION_LINE);
      writeFileSync(file!, caddyfile.replace(HEADER_DELETION_LINE, ''));
      for (const command of state.workspace!.apply) await sh('sh', ['-c', command]);
      expect(await checked(CADDY_LAB)).toBe(0);
      await downLeavesNothing(CADDY_LAB, state);
    },
  );

  labTest(
    "a clock lab as a learner runs it: n8n's clock an hour ahead, FAKETIME emptied in clock.env, --apply, --check green, --down leaves nothing",
    async () => {
      const state = await startLab(CLOCK_LAB);
      const { stdout } = await sh('docker', ['exec', state.n8nContainer!, 'date', '+%s']);
      expect(Math.abs(Number(stdout.trim()) - Date.now() / 1000 - 3600)).toBeLessThan(120);
      expect(await checked(CLOCK_LAB)).toBe(1);
      const [file] = state.workspace!.files;
      expect(readFileSync(file!, 'utf8')).toMatch(/^FAKETIME=\+1h$/m);
      writeFileSync(file!, 'FAKETIME=\n');
      const applied = await authlab(['lab', CLOCK_LAB, '--apply'], env);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(await checked(CLOCK_LAB)).toBe(0);
      await downLeavesNothing(CLOCK_LAB, (await readLabState(CLOCK_LAB))!);
    },
  );

  labTest(
    'the encryption-key lab as a learner runs it: n8n stopped (its container exited, its log says why), the original key read from its settings file with docker cp, put in n8n.env, --apply, --check green, --down leaves nothing',
    async () => {
      const state = await startLab(KEY_LAB);
      // Nothing answers: curl cannot connect (exit 7, status 000).
      const symptom = await learnerCurl(state.n8nUrl!, state.keyFile!);
      expect(symptom.stdout).toBe('000');
      const inspected = await sh('docker', ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', state.n8nContainer!]);
      expect(inspected.stdout.trim()).toMatch(/^exited [1-9]\d*$/);
      const logs = await sh('docker', ['logs', state.n8nContainer!]);
      expect(logs.stdout + logs.stderr).toContain('Mismatching encryption keys');
      expect(await checked(KEY_LAB)).toBe(1);
      const hint = await authlab(['lab', KEY_LAB, '--hint', '3'], env);
      expect(hint.stdout).toContain(`docker cp ${state.n8nContainer}:/home/node/.n8n/config`);

      // The learner's fix: the key n8n keeps in its settings file, read from the stopped container, in n8n.env.
      const copied = join(mkdtempSync(join(tmpdir(), 'authlab-key-lab-')), 'config');
      await sh('docker', ['cp', `${state.n8nContainer}:/home/node/.n8n/config`, copied]);
      const original = (JSON.parse(readFileSync(copied, 'utf8')) as { encryptionKey: string }).encryptionKey;
      const [file] = state.workspace!.files;
      const dotenv = readFileSync(file!, 'utf8');
      const wrong = /^N8N_ENCRYPTION_KEY=(.+)$/m.exec(dotenv)?.[1];
      expect(wrong).toBeDefined();
      expect(wrong).not.toBe(original);
      expect(dotenv).not.toContain(original);
      writeFileSync(file!, dotenv.replace(`N8N_ENCRYPTION_KEY=${wrong}`, `N8N_ENCRYPTION_KEY=${original}`));
      const applied = await authlab(['lab', KEY_LAB, '--apply'], env);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(await checked(KEY_LAB)).toBe(0);
      const after = (await readLabState(KEY_LAB))!;
      expect((await fetch(`${after.n8nUrl}/healthz`)).status).toBe(200);
      await downLeavesNothing(KEY_LAB, state);
    },
  );

  test('--compose writes the lab as a compose project: the broken config, the env, a README; the key only in .env', async () => {
    const dir = join(home, 'compose');
    const r = await authlab(['lab', LAB, '--compose', dir], env);
    expect(r.code, r.stderr).toBe(0);
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    expect(compose).toMatch(/^ {2}n8n:\n {4}image: \$\{N8N_IMAGE:-n8nio\/n8n:[\d.]+\}/m);
    expect(compose).toContain('./nginx/authlab.conf:/etc/nginx/conf.d/default.conf:ro');
    expect(compose).not.toMatch(/^\s*#/m);
    expect(readFileSync(join(dir, 'nginx', 'authlab.conf'), 'utf8')).toMatch(BLANKING_LINE);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('## Hints');
    const dotenv = readFileSync(join(dir, '.env'), 'utf8');
    expect(dotenv).toMatch(/^N8N_ENCRYPTION_KEY=[0-9a-f]{48}\n$/);
    expect(compose).not.toContain(dotenv.split('=')[1]!.trim());
  });
});
