import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ledger } from '../src/engine/report/ledger.ts';
import { authlab, type Exit } from './support/cli.ts';
import { testVersions } from './support/versions.ts';

// Two scenarios on one default stack: one n8n boot per run. guide-code.node-3-2 answers with the
// temporary folder its sample ran in, a value each run makes up; on 2.41.0 its claim (the guide's
// sample works) fails, which the second run asks --fail-on to count.
const SCENARIOS = ['headers.missing-header', 'guide-code.node-3-2'];
const VERSION = testVersions().at(-1)!;

const answered = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8')) as Ledger).rows.map((r) => r.cells.map((c) => c.answers?.answered ?? '').join(' | '));

describe('two runs of the same version, as authlab run makes them', () => {
  const [first, second] = [1, 2].map(() => mkdtempSync(join(tmpdir(), 'authlab-same-run-'))) as [string, string];
  const runs: Exit[] = [];

  beforeAll(async () => {
    runs.push(await authlab(['run', '--only', SCENARIOS.join(','), '--n8n', VERSION, '--out', first]));
    runs.push(await authlab(['run', '--only', SCENARIOS.join(','), '--n8n', VERSION, '--fail-on', 'fails-unlike-the-guide', '--out', second]));
  }, 20 * 60_000);
  afterAll(() => {
    for (const dir of [first, second]) rmSync(dir, { recursive: true, force: true });
  });

  test('every report file has content', () => {
    expect(runs[0]!.code, `${runs[0]!.stdout}\n${runs[0]!.stderr}`).toBe(0);
    for (const out of [first, second]) {
      const files = readdirSync(out).filter((f) => statSync(join(out, f)).isFile());
      expect(files).toEqual(expect.arrayContaining(['junit.xml', 'ledger.json', 'ledger.md', 'ledger.html', 'ledger-evidence.md', 'ledger-evidence.html']));
      for (const file of files) expect(statSync(join(out, file)).size, `${file} is empty`).toBeGreaterThan(0);
    }
  });

  test('authlab diff of their ledgers prints nothing and exits 0, though their answers hold values each run made up', async () => {
    // Without the normalisation these would differ: the answers' text is not the same.
    expect(answered(first)).not.toEqual(answered(second));
    const diff = await authlab(['diff', join(first, 'ledger.json'), join(second, 'ledger.json')]);
    expect(diff.stdout).toBe('');
    expect(diff.stderr).toContain(`nothing changed (n8n ${VERSION})`);
    expect(diff.code).toBe(0);
  });

  test('--fail-on fails-unlike-the-guide makes that verdict a JUnit failure and the exit code 1; the same run without it passes', () => {
    const failing = `guide-code.node-3-2@${VERSION} (fails-unlike-the-guide)`;
    expect(runs[1]!.code, runs[1]!.stderr).toBe(1);
    expect(runs[1]!.stdout).toContain(`1 verdict(s) of a kind --fail-on names: ${failing}`);
    const junit = readFileSync(join(second, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="n8n-authlab" tests="2" failures="1">/);
    expect(junit).toMatch(/<failure message="fails, unlike the guide \(--fail-on fails-unlike-the-guide\): fails, unlike the guide \(401 /);
    expect(readFileSync(join(first, 'junit.xml'), 'utf8')).toMatch(/<testsuites name="n8n-authlab" tests="2" failures="0">/);
  });
});

describe('authlab run --fail-on', () => {
  test('an unknown kind is bad input before anything runs: one line naming the kinds and the one it was close to, exit 2', async () => {
    const r = await authlab(['run', '--fail-on', 'answers-otherwise,answers-otherwse']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /--fail-on: unknown verdict kind answers-otherwse \(did you mean answers-otherwise\?\); the kinds: as-the-guide-says, answers-otherwise, .*inconclusive/,
    );
  });
});
