import { describe, expect, test } from 'vitest';
import type { StackSpec } from '../../src/parts/stack/stack-spec.ts';
import type { StartedPostgresContainer } from '../../src/parts/stack/postgres-container.ts';
import type { StartedRedisContainer } from '../../src/parts/stack/redis-container.ts';
import { SMTP_ENV_NAMES, smtpEnv, type StartedMailServerContainer } from '../../src/parts/stack/mail-server-container.ts';
import { serviceContext, serviceImagesOf, servicesN8nEnv, servicesOf } from '../../src/parts/stack/services/registry.ts';

describe('the stack services registry decides once which services a stack needs', () => {
  test('a plain stack runs n8n alone, on SQLite', () => {
    expect(servicesOf({ name: 'plain' })).toEqual([]);
    expect(serviceImagesOf({ name: 'plain' })).toEqual([]);
  });

  test('PostgreSQL when the spec asks for it', () => {
    expect(servicesOf({ name: 'pg', database: 'postgres' })).toEqual(['postgres']);
    expect(serviceImagesOf({ name: 'pg', database: 'postgres' })).toEqual(['postgres']);
  });

  test('queue mode brings PostgreSQL and Redis', () => {
    expect(servicesOf({ name: 'queue', queue: { workers: 1 } })).toEqual(['postgres', 'redis']);
    expect(serviceImagesOf({ name: 'queue', queue: { workers: 1 } })).toEqual(['postgres', 'redis']);
  });

  test('proxies need their own images; mock providers run on the n8n image', () => {
    const spec: StackSpec = { name: 'front', proxies: ['nginx', 'caddy'], providers: ['bearer-api'] };
    expect(servicesOf(spec)).toEqual(['providers', 'proxy']);
    expect(serviceImagesOf(spec)).toEqual(['nginx', 'caddy']);
  });

  test('n8n gets the env of every service it needs, composed once for mains and workers', () => {
    const spec: StackSpec = { name: 'queue', queue: { workers: 1 } };
    const ctx = serviceContext({ spec, opts: { version: '2.41.0', image: 'n8n' }, network: {} as never });
    const env = servicesN8nEnv(ctx, {
      postgres: { n8nEnv: () => ({ DB_TYPE: 'postgresdb' }) } as unknown as StartedPostgresContainer,
      redis: { queueEnv: () => ({ EXECUTIONS_MODE: 'queue' }) } as unknown as StartedRedisContainer,
    });
    expect(env).toEqual({ DB_TYPE: 'postgresdb', EXECUTIONS_MODE: 'queue' });
    expect(ctx.primaryAlias).toBe('n8n');
    expect(serviceContext({ spec: { name: 'front', proxies: ['nginx'] }, opts: { version: '2.41.0', image: 'n8n' }, network: {} as never }).primaryAlias).toBe(
      'n8n-app',
    );
  });

  test('a mail server has an image of its own and gives n8n its SMTP env (the login it takes)', () => {
    const spec: StackSpec = { name: 'mail', proxies: ['nginx'], mailServer: true };
    expect(servicesOf(spec)).toEqual(['proxy', 'mailServer']);
    expect(serviceImagesOf(spec)).toEqual(['nginx', 'mail']);
    const ctx = serviceContext({ spec, opts: { version: '2.41.0', image: 'n8n' }, network: {} as never });
    const env = servicesN8nEnv(ctx, { mailServer: { n8nEnv: () => smtpEnv('pw') } as unknown as StartedMailServerContainer });
    expect(env).toMatchObject({ N8N_EMAIL_MODE: 'smtp', N8N_SMTP_HOST: 'mail', N8N_SMTP_PORT: '2525', N8N_SMTP_PASS: 'pw', N8N_SMTP_STARTTLS: 'false' });
    expect(SMTP_ENV_NAMES).toEqual(Object.keys(env));
  });

  test('a secret a service shares with n8n is made once per stack', () => {
    const ctx = serviceContext({ spec: { name: 's' }, opts: { version: '2.41.0', image: 'n8n' }, network: {} as never });
    expect(ctx.secret('token')).toBe(ctx.secret('token'));
    expect(ctx.secret('token')).not.toBe(ctx.secret('other'));
  });
});
