import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readCompose } from '../../src/features/check/compose.ts';
import { deploymentOf, testEnv } from '../../src/features/check/deployment.ts';
import { reproduceNginx } from '../../src/features/check/nginx-site.ts';
import { mask } from '../../src/base/secrets.ts';

const dir = new URL('../../fixtures/deployments/', import.meta.url).pathname;

describe("reading a deployment's own files", () => {
  test('a queue deployment with anchors and merge keys: the main, its worker, their keys from .env; secrets masked', async () => {
    const d = deploymentOf(await readCompose(`${dir}queue-worker-key/docker-compose.yml`), {});
    expect([d.main.name, d.version, d.database, d.dataPersisted, d.explicitKey]).toEqual(['n8n', '2.41.0', 'postgres', true, true]);
    expect(d.workers.map((w) => w.name)).toEqual(['n8n-worker']);
    expect(d.workers[0]!.env.N8N_ENCRYPTION_KEY).not.toBe(d.main.env.N8N_ENCRYPTION_KEY);
    expect(mask(JSON.stringify(d))).not.toContain(d.main.env.N8N_ENCRYPTION_KEY!);
    const env = testEnv(d);
    expect(Object.keys(env).some((k) => k.startsWith('DB_') || k === 'N8N_ENCRYPTION_KEY' || k === 'EXECUTIONS_MODE')).toBe(false);
  });

  test("the image's tag as Docker reads it: a version, a minor or major line, a moving tag, or no tag at all (latest)", () => {
    const versionOf = (image: string) =>
      deploymentOf({ file: 'c.yml', services: [{ name: 'n8n', image, command: [], env: {}, volumes: [], labels: {} }] }, {}).version;
    expect(
      [
        'n8nio/n8n:1.123.81',
        'n8nio/n8n:1.123',
        'docker.n8n.io/n8nio/n8n:2',
        'n8nio/n8n:latest',
        'n8nio/n8n',
        'docker.n8n.io/n8nio/n8n:stable',
        'n8nio/n8n:next',
      ].map(versionOf),
    ).toEqual(['1.123.81', '1.123', '2', 'latest', 'latest', 'stable', 'next']);
    expect(() => versionOf('n8nio/n8n:nightly')).toThrow(/whose tag names no version; give --n8n/);
  });

  test('NGINX: the upstream rewritten, TLS replaced, the redirect server left out, the API route found', async () => {
    const r = await reproduceNginx(readFileSync(`${dir}nginx/good.conf`, 'utf8'), 'good.conf');
    expect(r.config).toMatch(/upstream n8n_app \{\s+server n8n:5678;\s+\}/);
    expect(r.config).toContain('listen 80;');
    expect(r.config).not.toMatch(/ssl_certificate|return 301/);
    expect(r.routes).toEqual([{ location: '/', prefix: '', stripped: true }]);
    const blanked = await reproduceNginx(readFileSync(`${dir}nginx/blanked-api-location.conf`, 'utf8'), 'blanked.conf');
    expect(blanked.routes).toEqual([{ location: '/api/', prefix: '', stripped: true }]);
    expect(blanked.config).toContain('proxy_set_header X-N8N-API-KEY "";');
  });
});
