import { describe, expect, test } from 'vitest';
import { readCompose, type ComposeService } from '../../src/features/check/compose.ts';
import { deploymentOf } from '../../src/features/check/deployment.ts';
import { runnerAuthToken, runnerBrokerListen, runnerBrokerUri, taskRunnersOf } from '../../src/features/check/task-runners.ts';

const dir = new URL('../../fixtures/deployments/', import.meta.url).pathname;

/** The read checks of a fixture's runners: which fail. */
async function readFailures(name: string): Promise<string[]> {
  const project = await readCompose(`${dir}${name}/docker-compose.yml`);
  const d = deploymentOf(project, {});
  const runners = taskRunnersOf(project, d);
  return [runnerAuthToken(d, runners), runnerBrokerUri(d, runners), runnerBrokerListen(d, runners)].filter((c) => !c.passed).map((c) => c.id);
}

describe("task runners read from a deployment's compose file", () => {
  test('queue mode: each runner paired with the n8n its broker URI names, by service name or network alias', async () => {
    const project = await readCompose(`${dir}runners-good/docker-compose.yml`);
    const d = deploymentOf(project, {});
    const pairs = taskRunnersOf(project, d).map((p) => [p.runner.name, p.n8n?.name]);
    expect(pairs).toEqual([
      ['task-runners', 'n8n'],
      ['worker-task-runners', 'n8n-worker'],
    ]);
    expect(await readFailures('runners-good')).toEqual([]);
  });

  test("a runner's token from its env_file, other than n8n's", async () => {
    expect(await readFailures('runners-token')).toEqual(['runner-auth-token']);
  });

  test('a broker URI naming no service, and a broker left on 127.0.0.1', async () => {
    expect(await readFailures('runners-unreachable')).toEqual(['runner-broker-uri', 'runner-broker-listen']);
  });

  test("a sidecar in n8n's network namespace reaches the broker on loopback", () => {
    const service = (name: string, extra: Omit<ComposeService, 'name' | 'command' | 'volumes' | 'labels'>): ComposeService => ({
      name,
      command: [],
      volumes: [],
      labels: {},
      ...extra,
    });
    const project = {
      file: 'c.yml',
      services: [
        service('n8n', { image: 'n8nio/n8n:2.41.0', env: { N8N_RUNNERS_AUTH_TOKEN: 't' } }),
        service('runner', { image: 'n8nio/runners:2.41.0', env: { N8N_RUNNERS_AUTH_TOKEN: 't' }, networkMode: 'service:n8n' }),
      ],
    };
    const d = deploymentOf(project, {});
    const runners = taskRunnersOf(project, d);
    expect([runnerAuthToken(d, runners), runnerBrokerUri(d, runners), runnerBrokerListen(d, runners)].map((c) => c.passed)).toEqual([true, true, true]);
  });
});
