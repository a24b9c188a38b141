import { ledgerCatalogue } from '../src/families/registry.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { labScenarios } from '../src/features/lab/labs.ts';
import { buildLedger, toLedgerJson } from '../src/engine/report/ledger.ts';
import { FAMILY_IDS } from '../src/families/registry.ts';
import { authlab, authlabWithoutReader, type Exit, leftBehind } from './support/cli.ts';
import { catalogueRun, sampleResults, V1, V2 } from './support/ledger-fixtures.ts';
import { testVersions } from './support/versions.ts';

/** A DOCKER_HOST where no engine answers: every case below must be named before the engine is asked. */
const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
const ENGINE_LINE = /^authlab: No Docker engine answers at DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock\. Start one/;
const LAB = labScenarios()[0]!.id;

/** The user's files: a folder, an empty file, a compose file with n8n in it, one that is not YAML, a ledger. */
const dir = mkdtempSync(join(tmpdir(), 'authlab-input-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const FOLDER = join(dir, 'folder');
mkdirSync(FOLDER);
const EMPTY = file('empty', '');
const COMPOSE = file('docker-compose.yml', 'services:\n  n8n:\n    image: n8nio/n8n:2.41.0\n');
const NOT_YAML = file('broken.yml', 'services: [\n');
const ledgerOf = (version: string) =>
  file(
    `ledger-${version}.json`,
    toLedgerJson(
      buildLedger(
        catalogueRun(
          [version],
          sampleResults().filter((r) => r.version === version),
        ),
        'test',
        ledgerCatalogue,
      ),
    ),
  );
const LEDGER = ledgerOf(V1);
/** Another version's ledger: diffed with LEDGER it prints changes (the same ledger twice prints nothing on stdout). */
const LATER_LEDGER = ledgerOf(V2);
const MISSING = join(dir, 'missing');

type Case = readonly [args: string[], says: string | RegExp];

/** One line on stderr, `authlab: ` and what it says, exit 2, nothing on stdout. */
function expectOneLine(r: Exit, says: string | RegExp, what: string): void {
  expect(r.code, `${what}: ${r.stderr}`).toBe(2);
  expect(r.stdout, what).toBe('');
  expect(r.stderr.split('\n').slice(0, -1), what).toHaveLength(1);
  expect(r.stderr, what).toMatch(/^authlab: /);
  if (typeof says === 'string') expect(r.stderr, what).toContain(says);
  else expect(r.stderr, what).toMatch(says);
}

async function expectEach(cases: readonly Case[], env: NodeJS.ProcessEnv = NO_ENGINE): Promise<void> {
  for (const [args, says] of cases) expectOneLine(await authlab(args, env), says, `authlab ${args.join(' ')}`);
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
    expect(r.stderr).toMatch(/unknown family: nope\. The families: /);
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
      [['run', '--n8n'], 'run: --n8n needs a value: --n8n <v1,v2>'],
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

describe('bad input, everywhere: one line, exit 2, in the order a person fixes things', () => {
  test('a missing file, a folder or a file of the wrong kind, for every file option', async () => {
    const readable = (path: string, option: string, why: string) => `cannot read ${path} (${option}): ${why}`;
    await expectEach([
      [['inspect-key', '--key-file', MISSING], readable(MISSING, '--key-file', 'no such file')],
      [['inspect-key', '--key-file', FOLDER], readable(FOLDER, '--key-file', 'it is a folder, not a file')],
      [['inspect-key', '--key-file', EMPTY, '--encryption-key-file', MISSING], readable(MISSING, '--encryption-key-file', 'no such file')],
      [['inspect-key', '--key-file', EMPTY, '--jwt-secret-file', FOLDER], readable(FOLDER, '--jwt-secret-file', 'it is a folder, not a file')],
      [['doctor', '--url', 'http://127.0.0.1:1', '--key-file', FOLDER], readable(FOLDER, '--key-file', 'it is a folder, not a file')],
      [['doctor', '--url', 'http://127.0.0.1:1', '--encryption-key-file', MISSING], readable(MISSING, '--encryption-key-file', 'no such file')],
      [['check', '--compose', FOLDER], readable(FOLDER, '--compose', 'it is a folder, not a file')],
      [['check', '--compose', COMPOSE, '--nginx', MISSING], readable(MISSING, '--nginx', 'no such file')],
      [['check', '--compose', COMPOSE, '--ca-bundle', MISSING], readable(MISSING, '--ca-bundle', 'no such file')],
      [['run', '--ca-bundle', EMPTY], `${EMPTY} (--ca-bundle) is not a CA bundle`],
      [['images', '--n8n', '2.41.0', '--ca-bundle', FOLDER], readable(FOLDER, '--ca-bundle', 'it is a folder, not a file')],
      [['lab', LAB, '--ca-bundle', MISSING], readable(MISSING, '--ca-bundle', 'no such file')],
      [['run', '--out', EMPTY], `cannot write to ${EMPTY} (--out): ${EMPTY} is a file, not a folder`],
      [['upgrade', '--out', join(EMPTY, 'reports')], `(--out): ${EMPTY} is a file, not a folder`],
      [['check', '--compose', COMPOSE, '--out', EMPTY], `cannot write to ${EMPTY} (--out)`],
      [['bisect', 'headers.missing-header', '--good', '2.30.8', '--bad', '2.41.0', '--out', EMPTY], `cannot write to ${EMPTY} (--out)`],
      [['lab', LAB, '--compose', EMPTY], `cannot write to ${EMPTY} (--compose)`],
    ]);
  });

  test('an empty value is named, never taken as "all families" or the default version', async () => {
    await expectEach([
      [['run', '--family', ''], 'run: --family is empty; give --family <f1,f2>'],
      [['run', '--only', ','], 'run: --only is empty'],
      [['run', '--n8n', ' '], 'run: --n8n is empty'],
      [['images', '--n8n', ''], 'images: --n8n is empty'],
      [['inspect-key', '--key-file', ''], 'inspect-key: --key-file is empty'],
      [['doctor', '--url', ''], 'doctor: --url is empty'],
      [['check', '--compose', ''], 'check: --compose is empty'],
      [['diff', '', ''], 'diff needs two ledger files'],
    ]);
  });

  test('a mistyped command, option, family, scenario id, lab or value: the closest valid one, when it is close', async () => {
    await expectEach([
      [['lsit'], 'unknown command "lsit" (did you mean list?); commands: run,'],
      [['help', 'lsit'], 'unknown command "lsit" (did you mean list?)'],
      [['run', '--familly', 'headers'], 'run takes no option --familly (did you mean --family?); its options: --n8n,'],
      [['run', '--family', 'header'], 'unknown family: header (did you mean headers?). The families: headers,'],
      [['list', '--family', 'prxy'], 'unknown family: prxy (did you mean proxy?)'],
      [['run', '--only', 'headers.missing-heade'], 'unknown scenario id: headers.missing-heade (did you mean headers.missing-header?)'],
      [['lab', LAB.slice(0, -1)], `unknown lab: ${LAB.slice(0, -1)} (did you mean ${LAB}?)`],
      [['bisect', 'headers.missing-heade', '--good', '2.30.8', '--bad', '2.41.0'], '(did you mean headers.missing-header?)'],
      [['upgrade', '--database', 'postgress'], 'unknown --database: postgress (did you mean postgres?)'],
      [['bisect', 'headers.missing-header', '--good', '2.30.8', '--bad', '2.41.0', '--compare', 'answer'], 'not answer (did you mean answers?)'],
      [['check', '--compose', COMPOSE, '--service', 'n8m'], 'has no service "n8m" (did you mean n8n?); services: n8n'],
      [['list', '--section', '3.9'], /unknown section: 3\.9\. The sections: /],
      [['run', '--family', 'nope'], /^authlab: unknown family: nope\. The families: /],
    ]);
  });

  test('numbers and ports: not a number, out of range, a port in use', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      await expectEach([
        [['run', '--concurrency', 'abc'], '--concurrency takes a whole number >= 1 (got abc)'],
        [['run', '--concurrency', '0'], '--concurrency takes a whole number >= 1 (got 0)'],
        [['lab', LAB, '--port', '99999'], '--port takes a port number from 1 to 65535, not "99999"'],
        [['lab', LAB, '--port', 'abc'], '--port takes a port number from 1 to 65535, not "abc"'],
        [['lab', LAB, '--port', String(port)], `port ${port} on 127.0.0.1 is in use`],
        [['doctor', '--url', 'http://127.0.0.1:1', '--executions', 'abc'], '--executions takes a whole number from 0 to 250 (got abc)'],
        [['run', '--offline=yes'], 'run: --offline takes no value'],
      ]);
    } finally {
      taken.close();
    }
  });

  test("the user's own files come first, then the engine (check --compose /missing.yml without an engine)", async () => {
    await expectEach([
      [['check', '--compose', MISSING], `cannot read ${MISSING} (--compose): no such file`],
      [['check', '--compose', NOT_YAML], `${NOT_YAML} is not valid YAML`],
      [['check', '--compose', COMPOSE, '--to', '2.41.99'], 'n8n 2.41.99 is not served'],
      [['check', '--compose', COMPOSE], ENGINE_LINE],
    ]);
  });

  test('no Docker engine: one line, for every command that needs one', async () => {
    await expectEach(
      [
        ['run', '--only', 'headers.missing-header'],
        ['upgrade'],
        ['images', '--n8n', '2.41.0'],
        ['lab', LAB],
        ['bisect', 'headers.missing-header', '--good', '2.30.8', '--bad', '2.41.0'],
        ['sweep'],
      ].map((args) => [args, ENGINE_LINE] as const),
    );
  });

  test('run --only headers. is taken, as run --help offers it (the run gets as far as the engine)', async () => {
    expect((await authlab(['run', '--help'])).stdout).toContain('an id prefix such as headers.');
    expectOneLine(await authlab(['run', '--only', 'headers.'], NO_ENGINE), ENGINE_LINE, 'run --only headers.');
  });
});

describe('a closed pipe (authlab list | head -1) ends the output quietly', () => {
  test('list, lab list, diff, --help and run --help: no stack trace, exit 141 as a shell pipe ends', async () => {
    for (const args of [['list'], ['lab', 'list'], ['diff', LEDGER, LATER_LEDGER], ['--help'], ['run', '--help']]) {
      const r = await authlabWithoutReader(args, NO_ENGINE);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(141);
    }
  });

  test('a run whose reader went away removes what it started, and exits 141', async () => {
    const runId = `closed-pipe-${Date.now().toString(36)}`;
    const r = await authlabWithoutReader(['run', '--n8n', testVersions()[0]!, '--only', 'headers.missing-header', '--out', join(dir, runId)], {
      AUTHLAB_RUN_ID: runId,
    });
    expect(r.code, r.stderr).toBe(141);
    expect(r.stderr).not.toContain('EPIPE');
    expect(await leftBehind(runId)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});
