import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { EnvFile } from '../../src/parts/stack/env-file.ts';

describe('an env file as compose users keep it', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('is written from its fixture and read the way compose passes it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'authlab-env-'));
    const env = await EnvFile.fromFixture('n8n', dir, { jwtSecret: 'first' });
    expect(await env.vars()).toEqual({ GENERIC_TIMEZONE: 'Europe/Berlin', N8N_USER_MANAGEMENT_JWT_SECRET: 'first' });
    expect(await env.text()).toContain('# n8n');
  });

  test('an edit changes one line in place and keeps the rest', async () => {
    dir = await mkdtemp(join(tmpdir(), 'authlab-env-'));
    const env = await EnvFile.fromFixture('n8n', dir, { jwtSecret: 'first' });
    await env.set('N8N_USER_MANAGEMENT_JWT_SECRET', 'second');
    await env.set('N8N_LOG_LEVEL', 'debug');
    expect(await env.vars()).toEqual({ GENERIC_TIMEZONE: 'Europe/Berlin', N8N_USER_MANAGEMENT_JWT_SECRET: 'second', N8N_LOG_LEVEL: 'debug' });
    expect((await env.text()).match(/N8N_USER_MANAGEMENT_JWT_SECRET=/g)).toHaveLength(1);
  });
});
