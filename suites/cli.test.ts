import { ledgerCatalogue } from '../src/families/registry.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import { sweep } from '../src/docker/cleanup.ts';
import { docker } from '../src/docker/docker.ts';
import { LABEL_RUN, runLabels } from '../src/docker/labels.ts';
import { buildLedger, toLedgerJson } from '../src/engine/report/ledger.ts';
import { authlab, expectPromptExit, leftBehind } from './support/cli.ts';
import { catalogueRun, sampleResults, scenarioResult, V1, V2 } from './support/ledger-fixtures.ts';
import { testVersions } from './support/versions.ts';

/** An API key real n8n minted, with the throwaway encryption key that signed it (fixtures/keys). */
function mintedKey(): { encryptionKey: string; derived: { keys: { plain: string } } } {
  return JSON.parse(readFileSync(new URL('../fixtures/keys/n8n-2.41.0.json', import.meta.url), 'utf8')) as ReturnType<typeof mintedKey>;
}

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
  test('bad input is named in one line: no --url, two key sources, an unset --key-env, a URL that is not http(s)://, a CA bundle where none fits', async () => {
    for (const [args, says] of [
      [['doctor'], 'doctor needs --url'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--key-file', 'a', '--key-env', 'B'], 'give one of --key, --key-file or --key-env'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--key', 'a', '--key-file', 'b'], 'give one of --key, --key-file or --key-env'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--key-env', 'AUTHLAB_TEST_UNSET_KEY'], 'AUTHLAB_TEST_UNSET_KEY is not set in this environment'],
      [['doctor', '--url', 'ftp://example'], '--url must be an http:// or https:// URL'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--key-file', '/nonexistent/key'], 'cannot read /nonexistent/key'],
      [['doctor', '--url', 'http://127.0.0.1:1', '--insecure'], '--insecure is for https:// URLs'],
      [['doctor', '--url', 'https://127.0.0.1:1', '--ca-bundle', '/etc/hostname'], 'holds no PEM certificate'],
    ] as const) {
      const r = await authlab([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });

  test('nothing answering at the URL: its own diagnosis, next steps and what went unchecked, exit 3, and the key is never printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authlab-doctor-'));
    const key = mintedKey().derived.keys.plain;
    writeFileSync(join(dir, 'key'), key);
    const r = await authlab(['doctor', '--url', 'http://127.0.0.1:1', '--proxy-url', 'https://127.0.0.1:2', '--key-file', join(dir, 'key')]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^UNREACHABLE n8n at http:\/\/127\.0\.0\.1:1: connection refused/m);
    expect(r.stdout).toMatch(/^ {8}next: docker compose ps: /m);
    expect(r.stdout).toMatch(/^UNCHECKED .*the key .*the proxy.*: n8n did not answer$/m);
    expect(r.stdout).toContain('if the log shows n8n refusing to start, verified by secrets.key-mismatch-refuses-start');
    expect(r.stdout).not.toMatch(/^FOUND/m);
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  test('a key given with --key works, is never printed, and the doctor says where it now sits', async () => {
    const key = mintedKey().derived.keys.plain;
    const r = await authlab(['doctor', '--url', 'http://127.0.0.1:1', '--key', key]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^UNREACHABLE n8n at /m);
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
  const old = write('old.json', toLedgerJson(buildLedger(catalogueRun([V1, V2], sampleResults()), 'test', ledgerCatalogue)));

  test('a changed verdict is printed, exit 1', async () => {
    const results = sampleResults().map((r) =>
      r.id === 'headers.missing-header' && r.version === V2 ? scenarioResult(r.id, r.family, V2, { symptom: [[200, 'accepted']] }) : r,
    );
    const r = await authlab(['diff', old, write('new.json', toLedgerJson(buildLedger(catalogueRun([V1, V2], results), 'test', ledgerCatalogue)))]);
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
      // Its sweep of what dead processes left (the first thing run, check, upgrade and bisect do).
      const child = await authlab(['sweep']);
      expect(child.code, child.stderr).toBe(0);
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
