import { describe, expect, test } from 'vitest';
import type { StackSpec } from '../../src/stack/stack-spec.ts';
import { serviceImagesOf, servicesOf } from '../../src/stack/services/registry.ts';

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
});
