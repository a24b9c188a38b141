import { describe, expect, test } from 'vitest';
import { n8nTagToVersion } from '../../src/parts/images/n8n-tags.ts';
import { UnknownN8nVersionError } from '../../src/parts/images/n8n-versions.ts';

const versions = ['1.123.80', '1.123.81', '2.40.7', '2.41.0', '2.41.1', '2.41.3', '2.42.0-beta.1', '2.42.0'];

describe("n8n's Docker tags as releases the npm registry serves", () => {
  test('the moving tags by npm dist-tag, each said how', () => {
    const view = { distTags: { latest: '2.41.3', next: '2.42.0', beta: '2.42.0-beta.1', stable: '2.41.1' }, versions };
    expect(n8nTagToVersion('stable', view)).toEqual({ version: '2.41.1', how: 'npm dist-tag stable' });
    expect(n8nTagToVersion('latest', view)).toEqual({ version: '2.41.3', how: 'npm dist-tag latest' });
    expect(n8nTagToVersion('beta', view).version).toBe('2.42.0-beta.1');
    expect(n8nTagToVersion('next', view).version).toBe('2.42.0');
  });

  test('where the registry has only `latest` (as here): stable and beta fall back, saying so', () => {
    const view = { distTags: { latest: '2.41.3' }, versions };
    expect(n8nTagToVersion('stable', view)).toEqual({ version: '2.41.3', how: 'npm dist-tag latest; the registry has no dist-tag stable' });
    expect(n8nTagToVersion('next', view).how).toMatch(/newest served release: the registry has none of the dist-tags next, beta/);
  });

  test("a dist-tag naming a release this registry's partial copy does not serve: the highest below it", () => {
    const r = n8nTagToVersion('latest', { distTags: { latest: '2.41.2' }, versions });
    expect(r).toEqual({ version: '2.41.1', how: 'npm dist-tag latest names 2.41.2, which the registry does not serve; the highest served release below it' });
  });

  test('a major or a minor: the highest served release in it (no prerelease); an exact version: itself', () => {
    const view = { distTags: {}, versions };
    expect(['2', '2.41', '1', '1.123', '2.41.0'].map((t) => n8nTagToVersion(t, view).version)).toEqual(['2.42.0', '2.41.3', '1.123.81', '1.123.81', '2.41.0']);
    expect(() => n8nTagToVersion('3', view)).toThrow(UnknownN8nVersionError);
    expect(() => n8nTagToVersion('nightly', view)).toThrow(UnknownN8nVersionError);
  });
});
