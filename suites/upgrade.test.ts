import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_N8N_VERSIONS } from '../src/parts/images/n8n-versions.ts';
import { imageOptionsFromEnv } from '../src/parts/images/options.ts';
import { toLedgerJson } from '../src/engine/report/ledger.ts';
import { describeDiff, diffLedgers, readLedger } from '../src/engine/report/ledger-diff.ts';
import { stepLedgerFiles, toUpgradeJUnit, toUpgradeJson, toUpgradeMarkdown } from '../src/features/upgrade/upgrade-report.ts';
import { runUpgradeCheck } from '../src/features/upgrade/upgrade-check.ts';
import { expectNoSecretIn } from './support/no-leaks.ts';

const from = DEFAULT_N8N_VERSIONS[0]!;
const to = DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!;
const OUT = 'authlab-reports';

/**
 * The two-step path on PostgreSQL (one stack, three n8n starts: from, to, and the downgrade).
 * The same two steps run on SQLite in the pre-deploy check's suite (its good deployment, --to);
 * the four-step path on both databases is docs/upgrade-path.md's command, not part of the test run.
 */
describe(`the upgrade check, n8n ${from} -> ${to} on PostgreSQL`, () => {
  test('the API key, the credential, the workflow and its production webhook made on the old version work on the new one', async () => {
    const result = await runUpgradeCheck({
      from,
      to,
      database: 'postgres',
      images: imageOptionsFromEnv({ progress: (l) => console.log(`  … ${l}`) }),
      progress: (l) => console.log(`  … ${l}`),
    });
    await mkdir(join(OUT, 'upgrade-postgres'), { recursive: true });
    await writeFile(join(OUT, 'upgrade-postgres.json'), toUpgradeJson(result, 'test'));
    await writeFile(join(OUT, 'upgrade-postgres-junit.xml'), toUpgradeJUnit(result));
    await writeFile(join(OUT, 'upgrade-postgres.md'), toUpgradeMarkdown(result));
    const files = stepLedgerFiles(result).map(({ file, step }) => ({ path: join(OUT, 'upgrade-postgres', file), step }));
    for (const f of files) await writeFile(f.path, toLedgerJson(f.step.ledger));
    console.log(toUpgradeMarkdown(result));
    await expectNoSecretIn(OUT);
    for (const c of result.steps.flatMap((s) => s.probe.checks)) expect(c.ok, `${c.what}: ${c.evidence}`).toBe(true);
    expect(result.steps.map((s) => s.probe.version)).toEqual([from, to]);
    expect(result.passed).toBe(true);
    // The step's changes are what authlab diff says between the two steps' ledger files.
    const [before, after] = await Promise.all(files.slice(0, 2).map((f) => readLedger(f.path)));
    expect(describeDiff(diffLedgers(before!, after!)).slice(1)).toEqual(result.steps[1]!.changes);
    // The downgrade is recorded either way: it started and was probed, or its failure says why.
    const back = result.downgrade!.probe;
    expect(back.version).toBe(from);
    expect(back.startError !== undefined || back.exchanges.length > 0).toBe(true);
  });
});
