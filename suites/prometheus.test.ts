import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { StartedTestContainer } from 'testcontainers';
import { FIXTURES_DIR } from '../src/parts/images/paths.ts';
import { N8N_JOB } from '../src/parts/metrics/n8n-metrics.ts';
import { prometheusConfig } from '../src/parts/metrics/scrape-config.ts';
import { LoopbackContainer } from '../src/parts/stack/loopback-container.ts';
import { RULE_FILES } from '../src/parts/stack/prometheus-container.ts';

/**
 * The alert rules the project ships (`fixtures/prometheus/`) and the config every stack's
 * Prometheus runs, checked by the promtool of the Prometheus image the stacks use. Against the
 * real scrape, the rule is evaluated after every symptom on a stack that scrapes n8n (the guide
 * suites assert that it fires for each 401 or 403 n8n counted).
 */
const RULES = '/etc/authlab/rules';
let promtool: StartedTestContainer;

beforeAll(async () => {
  const image = inject('serviceImages').prometheus;
  if (!image) throw new Error(`no Prometheus image: ${inject('serviceImageErrors').prometheus ?? 'not resolved'}`);
  promtool = await new LoopbackContainer(image)
    .withEntrypoint(['sleep'])
    .withCommand(['600'])
    .withCopyDirectoriesToContainer([{ source: `${FIXTURES_DIR}prometheus`, target: RULES }])
    .withCopyContentToContainer([{ content: prometheusConfig([{ job: N8N_JOB, address: 'n8n:5678' }], RULE_FILES), target: '/etc/authlab/prometheus.yml' }])
    .start();
}, 120_000);

afterAll(() => promtool?.stop({ remove: true }));

const run = async (...args: string[]) => {
  const { exitCode, output } = await promtool.exec(['promtool', ...args], { workingDir: RULES });
  return { exitCode, output };
};

describe('the Prometheus alert rules and config', () => {
  test('promtool check rules: the shipped rules parse', async () => {
    const { exitCode, output } = await run('check', 'rules', 'n8n-auth.rules.yml');
    expect(output).toContain('SUCCESS: 1 rules found');
    expect(exitCode, output).toBe(0);
  });

  test('promtool test rules: the alert fires for a new series of 401s, for a rise in 403s and for a first 403 on another webhook, never for 200s, and clears', async () => {
    const { exitCode, output } = await run('test', 'rules', 'n8n-auth.rules.test.yml');
    expect(output).toContain('SUCCESS');
    expect(exitCode, output).toBe(0);
  });

  test("promtool check config: the config a stack's Prometheus starts with, its rules included", async () => {
    const { exitCode, output } = await run('check', 'config', '/etc/authlab/prometheus.yml');
    expect(output).toContain('SUCCESS: 1 rule files found');
    expect(exitCode, output).toBe(0);
  });
});
