import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import { sweep } from '../src/stack/cleanup.ts';
import { docker } from '../src/stack/docker.ts';
import { LABEL_RUN, runLabels } from '../src/stack/labels.ts';
import { buildLedger, toLedgerJson } from '../src/report/ledger.ts';
import { FAMILY_IDS } from '../src/scenarios/catalogue.ts';
import { authlab, expectPromptExit, leftBehind } from './support/cli.ts';
import { catalogueRun, sampleResults, scenarioResult, V1, V2 } from './support/ledger-fixtures.ts';
import { testVersions } from './support/versions.ts';

/** An API key real n8n minted, with the throwaway encryption key that signed it (fixtures/keys). */
function mintedKey(): { encryptionKey: string; derived: { keys: { plain: string } } } {
  return JSON.parse(readFileSync(new URL('../fixtures/keys/n8n-2.41.0.json', import.meta.url), 'utf8')) as ReturnType<typeof mintedKey>;
}

describe('bad input gets a clear error', () => {
  test('an n8n version the registry does not serve fails in seconds, before any build, naming the nearest', async () => {
    const r = await authlab(['run', '--n8n', '1.116.99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/n8n 1\.116\.99 is not served .*nearest served versions: .*1\.116\.2/);
    expect(r.ms).toBeLessThan(60_000);
  });

  test('an upgrade check to an unknown version, to the same version, or on an unknown database, fails before any container starts', async () => {
    const unknown = await authlab(['upgrade', '--from', '1.116.2', '--to', '2.41.99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/n8n 2\.41\.99 is not served .*nearest served versions: /);
    const same = await authlab(['upgrade', '--from', '2.41.0', '--to', '2.41.0']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--from and --to are both 2.41.0');
    const repeated = await authlab(['upgrade', '--path', '1.116.2,2.41.0,2.41.0']);
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toContain('--path names n8n 2.41.0 twice in a row');
    const database = await authlab(['upgrade', '--database', 'sqlite,mysql']);
    expect(database.code).toBe(2);
    expect(database.stderr).toContain('unknown --database: mysql. Valid: sqlite, postgres');
  });

  test('a version written as users write it (1.116.x, a tag line, latest) resolves to a served release, and says so', async () => {
    const r = await authlab(['images', '--n8n', '1.116.x']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('n8n 1.116.x: 1.116.2');
    expect(r.stdout).toMatch(/^n8n 1\.116\.2: /m);
    const none = await authlab(['run', '--n8n', '1.999.x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/n8n 1\.999\.x is not served .*nearest served versions: /);
  });

  test('bisect: an unknown scenario, a version not served, --good not older than --bad: one line each, exit 2, before any build', async () => {
    const unknown = await authlab(['bisect', 'secrets.nope', '--good', '2.30.8', '--bad', '2.41.0']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^authlab: unknown scenario "secrets\.nope"; in its family: .*secrets\.jwt-secret-changed/);
    const notServed = await authlab(['bisect', 'secrets.jwt-secret-changed', '--good', '2.30.99', '--bad', '2.41.0']);
    expect(notServed.code).toBe(2);
    expect(notServed.stderr).toMatch(/n8n 2\.30\.99 is not served .*nearest served versions: /);
    const reversed = await authlab(['bisect', 'secrets.jwt-secret-changed', '--good', '2.41.0', '--bad', '2.30.8']);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toBe('authlab: --good must be older than --bad (got --good 2.41.0, --bad 2.30.8)\n');
    for (const r of [unknown, notServed, reversed]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('an unknown family lists the valid ones', async () => {
    const r = await authlab(['run', '--family', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown family: nope\. Valid familys?: /);
    for (const family of FAMILY_IDS) expect(r.stderr).toContain(family);
  });

  test('an unknown scenario id lists the valid ones', async () => {
    const r = await authlab(['run', '--only', 'headers.nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('headers.missing-header');
  });

  test('no Docker engine gives one sentence on how to start one', async () => {
    const r = await authlab(['run', '--only', 'headers.missing-header'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^authlab: No Docker engine answers( at DOCKER_HOST=\S+)?\. Start one/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('--help describes the commands', async () => {
    const r = await authlab(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['run', 'list', 'images', 'sweep', '--offline', '--registry', 'AUTHLAB_REGISTRY', 'Exit codes']) expect(r.stdout).toContain(word);
  });

  test('an option the command does not take, an argument it takes none of, or an unknown command is one line, exit 2', async () => {
    for (const [args, says] of [
      [['run', '--compose', 'docker-compose.yml'], 'run takes no option --compose; its options: --n8n, --family, --only'],
      [['list', '--n8n', '2.41.0'], 'list takes no option --n8n; its options: --family, --section'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--all'], 'doctor takes no option --all'],
      [['run', 'headers'], 'run takes no arguments (got "headers")'],
      [['diff', 'a.json', 'b.json', 'c.json'], 'diff takes only <old ledger.json> <new ledger.json>'],
      [['run', '--n8n'], "run: Option '--n8n <value>' argument missing"],
      [['--n8n', '2.41.0', 'run'], 'give the command first'],
      [['nope'], 'unknown command "nope"; commands: run,'],
    ] as const) {
      const r = await authlab([...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });

  test('each command has its own --help, made from the options it takes', async () => {
    const doctor = await authlab(['doctor', '--help']);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/^Usage: authlab doctor --url <n8n> \[--proxy-url <url>\]/);
    for (const option of ['--key-file <f>', '--executions <n>', '--json', '-h, --help']) expect(doctor.stdout).toContain(option);
    expect(doctor.stdout).not.toContain('--compose');
    expect((await authlab(['help', 'doctor'])).stdout).toBe(doctor.stdout);
    const run = await authlab(['run', '-h']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Families: ${FAMILY_IDS.join(', ')}.`);
    expect(run.stdout).not.toContain('--url');
  });
});

describe('inspect-key', () => {
  test('names stray characters and the signer, and never prints the key', async () => {
    const fixture = mintedKey();
    const dir = mkdtempSync(join(tmpdir(), 'authlab-inspect-'));
    writeFileSync(join(dir, 'key'), `${fixture.derived.keys.plain}\n`);
    writeFileSync(join(dir, 'encryption-key'), fixture.encryptionKey);
    const r = await authlab(['inspect-key', '--key-file', join(dir, 'key'), '--encryption-key-file', join(dir, 'encryption-key')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('U+000A (line feed)');
    expect(r.stdout).toContain('signed with the secret derived from the given encryption key');
    expect(r.stdout + r.stderr).not.toContain(fixture.derived.keys.plain);
    expect(r.stdout + r.stderr).not.toContain(fixture.encryptionKey);
  });
});

describe('authlab doctor', () => {
  test('bad input is named in one line: no --url, two key sources, a URL that is not http://', async () => {
    for (const [args, says] of [
      [['doctor'], 'doctor needs --url'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--key-file', 'a', '--key-env', 'B'], 'give one of --key, --key-file or --key-env'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--key', 'a', '--key-file', 'b'], 'give one of --key, --key-file or --key-env'],
      [['doctor', '--url', 'ftp://example'], '--url must be an http:// URL'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--key-file', '/nonexistent/key'], 'cannot read /nonexistent/key'],
    ] as const) {
      const r = await authlab([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });

  test('nothing answering at the URL is named as n8n-unreachable (exit 1), and the key is never printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authlab-doctor-'));
    const key = mintedKey().derived.keys.plain;
    writeFileSync(join(dir, 'key'), key);
    const r = await authlab(['doctor', '--url', 'http://127.0.0.1:1', '--key-file', join(dir, 'key')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FOUND {3}n8n-unreachable: /m);
    expect(r.stdout).toContain('fix (verified by secrets.key-mismatch-refuses-start)');
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  test('a key given with --key works, is never printed, and the doctor says where it now sits', async () => {
    const key = mintedKey().derived.keys.plain;
    const r = await authlab(['doctor', '--url', 'http://127.0.0.1:1', '--key', key]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FOUND {3}n8n-unreachable: /m);
    expect(r.stderr).toContain('visible to other users in ps and stays in your shell history');
    expect(r.stdout + r.stderr).not.toContain(key);
  });
});

describe('authlab diff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authlab-diff-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const old = write('old.json', toLedgerJson(buildLedger(catalogueRun([V1, V2], sampleResults()), 'test')));

  test('a changed verdict is printed, exit 1', async () => {
    const results = sampleResults().map((r) =>
      r.id === 'headers.missing-header' && r.version === V2 ? scenarioResult(r.id, r.family, V2, { symptom: [[200, 'accepted']] }) : r,
    );
    const r = await authlab(['diff', old, write('new.json', toLedgerJson(buildLedger(catalogueRun([V1, V2], results), 'test')))]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.trim().split('\n')[0]).toBe('headers.missing-header: real, as the guide says -> does not happen on n8n 2.41.0');
    expect(r.stdout).toContain('headers.missing-header: does the failure happen on n8n 2.41.0: yes -> no');
  });

  test('the same ledger twice: nothing changed, exit 0', async () => {
    const r = await authlab(['diff', old, old]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nothing changed (n8n 1.116.2, n8n 2.41.0)');
  });

  test('a file that is not a ledger, or a missing argument, is bad input: exit 2, one line', async () => {
    const report = write('report.json', JSON.stringify({ schema: 1, tool: { name: 'n8n-authlab' }, run: {} }));
    for (const args of [[old, report], [old, join(dir, 'absent.json')], [old]]) {
      const r = await authlab(['diff', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^authlab: (.*report\.json: not an n8n-authlab ledger|.*absent\.json: no such file|diff needs two ledger files)/);
    }
  });
});

describe('the Docker engine goes away mid-run', () => {
  test('the run ends with one clear error in about ten seconds, not a hang', async () => {
    // The run talks to the engine through a socket this test owns; closing it is the engine going away.
    const socket = join(mkdtempSync(join(tmpdir(), 'authlab-engine-')), 'docker.sock');
    const clients = new Set<Socket>();
    const relay = createServer((client) => {
      clients.add(client);
      const engine = connect(process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') ?? '/var/run/docker.sock');
      client.pipe(engine).pipe(client);
      client.on('error', () => engine.destroy());
      engine.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => relay.listen(socket, r));
    const runId = `engine-gone-${Date.now().toString(36)}`;
    let cutAt = 0;
    const r = await authlab(
      ['run', '--n8n', testVersions()[0]!, '--only', 'headers.missing-header', '--out', join(tmpdir(), runId)],
      { AUTHLAB_RUN_ID: runId, DOCKER_HOST: `unix://${socket}` },
      (line) => {
        if (!cutAt && line.includes('starting n8n')) {
          cutAt = Date.now();
          relay.close();
          for (const c of clients) c.destroy();
        }
      },
    );
    expect(cutAt, r.stderr).toBeGreaterThan(0);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('The Docker engine stopped answering during the run');
    expect(Date.now() - cutAt).toBeLessThan(60_000);
    // The engine never really went: remove what the cut-off run could not.
    await sweep({ scope: 'this-run', run: runId });
  });
});

describe('every command ends within 5 s of its last line', () => {
  test('a run whose n8n start is refused (another encryption key over the same data) exits right after its report', async () => {
    const runId = `exit-${Date.now().toString(36)}`;
    const r = await authlab(
      ['run', '--n8n', testVersions()[0]!, '--only', 'secrets.key-mismatch-refuses-start', '--out', mkdtempSync(join(tmpdir(), 'authlab-exit-'))],
      { AUTHLAB_RUN_ID: runId },
    );
    expect(r.code, r.stderr).toBe(0);
    // The refused start happened: a start n8n refused is what used to leave a timer running for minutes.
    expect(r.stdout).toContain('n8n does not start (it exited with code 1');
    expect(r.stdout).toContain('reports: report.json');
    expectPromptExit(r, 'authlab run');
    expect(await leftBehind(runId)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});

describe('nothing is left behind', () => {
  test("an authlab started by another process (it inherits the run id) removes only its own things, not the other's", async () => {
    const engine = await docker();
    const mine = await engine.createNetwork({ Name: `authlab-parent-${Date.now().toString(36)}`, Labels: runLabels('parent') });
    try {
      // Exits 2 after its sweeps: before anything of its own exists.
      const child = await authlab(['run', '--n8n', '1.116.99']);
      expect(child.code, child.stderr).toBe(2);
      expect((await mine.inspect()).Labels?.[LABEL_RUN], "the parent's network is still there").toBe(process.env.AUTHLAB_RUN_ID);
    } finally {
      await mine.remove().catch(() => undefined);
    }
  });

  test('a run killed with SIGKILL leaves its containers; the next run removes them first, and runs', async () => {
    const killed = `kill-9-${Date.now().toString(36)}`;
    const version = testVersions()[0]!;
    let shot = false;
    await authlab(['run', '--n8n', version, '--only', 'headers.missing-header', '--out', join(tmpdir(), killed)], { AUTHLAB_RUN_ID: killed }, (line, child) => {
      if (!shot && line.includes('starting n8n')) {
        shot = true;
        setTimeout(() => child.kill('SIGKILL'), 3000);
      }
    });
    expect(shot).toBe(true);
    expect((await leftBehind(killed)).containers.length, 'a SIGKILL leaves containers behind').toBeGreaterThan(0);
    const next = await authlab(['run', '--n8n', version, '--only', 'headers.missing-header', '--out', join(tmpdir(), `${killed}-next`)]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain('removed what a killed earlier run left');
    expect(await leftBehind(killed)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  test('Ctrl-C in the middle of authlab run removes its containers, networks and volumes', async () => {
    const runId = `ctrl-c-${Date.now().toString(36)}`;
    const version = testVersions()[0]!;
    let interrupted = false;
    const r = await authlab(
      ['run', '--n8n', version, '--only', 'headers.missing-header', '--out', '/tmp/authlab-ctrl-c'],
      { AUTHLAB_RUN_ID: runId },
      (line, child) => {
        if (!interrupted && line.includes('starting n8n')) {
          interrupted = true;
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      },
    );
    expect(interrupted, r.stderr).toBe(true);
    expect(r.code).toBe(130);
    expect(await leftBehind(runId)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});
