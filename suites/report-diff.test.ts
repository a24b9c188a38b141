import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Ledger } from '../src/report/ledger.ts';
import { authlab } from './support/cli.ts';
import { testVersions } from './support/versions.ts';

// Two scenarios on one default stack: one n8n boot per run. guide-code.node-3-2 answers with the
// temporary folder its sample ran in, a value each run makes up.
const SCENARIOS = ['headers.missing-header', 'guide-code.node-3-2'];
const VERSION = testVersions().at(-1)!;

const answered = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8')) as Ledger).rows.map((r) => r.cells.map((c) => c.answers?.answered ?? '').join(' | '));

describe('authlab diff of two runs of the same version', () => {
  test(
    'two runs that behaved alike diff to nothing and exit 0, though their answers hold values each run made up',
    async () => {
      const [first, second] = [1, 2].map(() => mkdtempSync(join(tmpdir(), 'authlab-same-run-')));
      for (const out of [first!, second!]) {
        const run = await authlab(['run', '--only', SCENARIOS.join(','), '--n8n', VERSION, '--out', out]);
        expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
        for (const file of readdirSync(out).filter((f) => statSync(join(out, f)).isFile()))
          expect(statSync(join(out, file)).size, `${file} is empty`).toBeGreaterThan(0);
      }
      // Without the normalisation these would differ: the answers' text is not the same.
      expect(answered(first!)).not.toEqual(answered(second!));
      const diff = await authlab(['diff', join(first!, 'ledger.json'), join(second!, 'ledger.json')]);
      expect(diff.stdout).toBe('');
      expect(diff.stderr).toContain(`nothing changed (n8n ${VERSION})`);
      expect(diff.code).toBe(0);
    },
    20 * 60_000,
  );
});
