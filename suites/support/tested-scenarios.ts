import { FAMILIES, type FamilyId } from '../../src/families/registry.ts';
import type { AnyScenario } from '../../src/core/types.ts';

/** Why a scenario is left to the main job (`authlab run`) in a default test run. */
const OWN_STACK_OF_RESTARTS =
  'a stack of its own, n8n recreated or restarted three to six times; its steps are those of the secrets scenarios the test run keeps';
const VARIANT_OF_A_TESTED_STACK = 'the same steps as a tested scenario, on a stack of its own';

/**
 * The scenarios a default test run leaves to the main job (`authlab run`, which exits 1 when one
 * fails), each with its reason: the costliest stacks, whose steps other tested scenarios run too.
 * The whole catalogue on 2.41.0 would take about 45 minutes of a 2-core machine by itself, over
 * CI's budget beside the other files; `AUTHLAB_TEST_CATALOGUE=all npm test` tests every scenario.
 */
export const LEFT_TO_THE_MAIN_JOB: Readonly<Record<string, string>> = {
  'secrets.dotenv-restart': OWN_STACK_OF_RESTARTS,
  'secrets.key-file-newline': OWN_STACK_OF_RESTARTS,
  'secrets.env-file-not-mounted': OWN_STACK_OF_RESTARTS,
  'secrets.queue-worker-key-mismatch':
    'a queue stack of its own (PostgreSQL, Redis, n8n and a worker, the worker recreated twice); queue mode is tested by env-access and oauth2',
  'secrets.n8n-folder-lost': 'a PostgreSQL stack of its own; the lost folder is tested by mfa.n8n-folder-lost',
  'browser.oauth-redirect-url-unset':
    'waits out n8n restarts on the browser-OAuth stack; browser.oauth-callback-other-host tests the consent screen in Chromium on it',
  'browser.push-sse-no-upgrade': `${VARIANT_OF_A_TESTED_STACK} (browser.push-no-upgrade with N8N_PUSH_BACKEND=sse)`,
  'browser.push-sse-host-mismatch': `${VARIANT_OF_A_TESTED_STACK} (browser.push-host-mismatch with N8N_PUSH_BACKEND=sse)`,
};

/** Whether this run tests every scenario (AUTHLAB_TEST_CATALOGUE=all) or the default selection. */
export function testsWholeCatalogue(): boolean {
  const asked = process.env.AUTHLAB_TEST_CATALOGUE?.trim() ?? '';
  if (asked !== '' && asked !== 'all')
    throw new Error(`AUTHLAB_TEST_CATALOGUE takes "all" (every scenario) or nothing (the default selection), not ${JSON.stringify(asked)}`);
  return asked === 'all';
}

/** A family's scenarios the guide suites test in this run, in catalogue order. */
export function testedScenarios(family: FamilyId): AnyScenario[] {
  const all = FAMILIES[family].scenarios as AnyScenario[];
  return testsWholeCatalogue() ? all : all.filter((s) => !(s.id in LEFT_TO_THE_MAIN_JOB));
}
