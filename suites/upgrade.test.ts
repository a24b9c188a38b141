import { mkdir, writeFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { DEFAULT_N8N_VERSIONS } from '../src/images/n8n-versions.ts';
import { imageOptionsFromEnv } from '../src/images/options.ts';
import { toUpgradeJUnit, toUpgradeJson, toUpgradeMarkdown } from '../src/report/upgrade.ts';
import { runUpgradeCheck } from '../src/upgrade/upgrade-check.ts';
import { expectNoSecretIn } from './support/no-leaks.ts';

const from = DEFAULT_N8N_VERSIONS[0]!;
const to = DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!;

describe(`the upgrade check, n8n ${from} -> ${to}`, () => {
  test('the API key, the credential and the workflow made on the old version work on the new one', async () => {
    const result = await runUpgradeCheck({
      from,
      to,
      images: imageOptionsFromEnv({ progress: (l) => console.log(`  … ${l}`) }),
      progress: (l) => console.log(`  … ${l}`),
    });
    await mkdir('authlab-reports', { recursive: true });
    await writeFile('authlab-reports/upgrade.json', toUpgradeJson(result, 'test'));
    await writeFile('authlab-reports/upgrade-junit.xml', toUpgradeJUnit(result));
    await writeFile('authlab-reports/upgrade.md', toUpgradeMarkdown(result));
    console.log(toUpgradeMarkdown(result));
    await expectNoSecretIn('authlab-reports');
    for (const c of [...result.before.checks, ...result.after.checks]) expect(c.ok, `${c.what}: ${c.evidence}`).toBe(true);
    expect(result.passed).toBe(true);
    // The downgrade is recorded either way: it started and was probed, or its failure says why.
    expect(result.downgrade.startError !== undefined || result.downgrade.exchanges.length > 0).toBe(true);
  });
});
