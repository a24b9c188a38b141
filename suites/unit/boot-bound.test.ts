import { describe, expect, test } from 'vitest';
import { AFTER_FILES, BEFORE_FILES, bootsByFile, median, summariseBoots, timedBoot, versionOfImage, wallOverBound } from '../../scripts/boot-bound.ts';
import { composeBootOf } from '../../scripts/compose-boots.ts';
import { type BootRecord, parseBootLog } from '../../src/parts/stack/boot-log.ts';

const boot = (over: Partial<BootRecord>): BootRecord => ({
  at: '2026-12-06T15:00:00.000Z',
  version: '2.41.0',
  image: 'authlab/n8n:2.41.0',
  role: 'main',
  start: 'fresh',
  readyMs: 10_000,
  cpuS: 10,
  container: 'abc',
  process: 'bench.ts',
  pid: 1,
  ...over,
});

describe('the boot bound', () => {
  test('median: the middle one, or the mean of the two middle ones; none of nothing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  test('boots x median boot CPU / cores, summed over versions; a boot whose CPU was not read still counts', () => {
    const s = summariseBoots(
      [
        boot({ cpuS: 10 }),
        boot({ cpuS: 12, start: 'replacement' }),
        boot({ cpuS: 11, start: 'restart' }),
        boot({ cpuS: null }),
        boot({ version: '1.116.2', cpuS: 6 }),
      ],
      2,
    );
    expect(s).toMatchObject({ boots: 5, fresh: 3, replacement: 1, restart: 1, uncounted: 0, cores: 2 });
    expect(s.perVersion['2.41.0']).toMatchObject({ boots: 4, medianCpuS: 11 });
    expect(s.boundS).toBe((4 * 11 + 6) / 2);
    expect(wallOverBound(50, s.boundS)).toBe(2);
    expect(wallOverBound(50, 0)).toBeNull();
  });

  test("compose's boots are charged their version's median, or every version's when none of theirs was logged", () => {
    const s = summariseBoots([boot({ cpuS: 10 }), boot({ version: '1.116.2', cpuS: 6 }), boot({ version: '1.116.2', cpuS: 8 })], 1, [
      { version: '2.41.0' },
      { version: '1.0.0' },
    ]);
    expect(s.perVersion['2.41.0']).toMatchObject({ boots: 2, uncounted: 1, medianCpuS: 10 });
    expect(s.perVersion['1.0.0']).toMatchObject({ boots: 1, uncounted: 1, medianCpuS: 8 });
    expect(s.boundS).toBe(2 * 10 + 2 * 7 + 8);
  });

  test('the version is the image tag', () => {
    expect(versionOfImage('authlab/n8n-faketime:2.41.0')).toBe('2.41.0');
    expect(versionOfImage('localhost:5000/n8nio/n8n:1.116.2')).toBe('1.116.2');
  });
});

describe('the boot log', () => {
  test('one record a line; blank, torn and foreign lines are skipped', () => {
    const a = boot({});
    const text = `${JSON.stringify(a)}\n\n{"at":"x"\n{"hello":1}\n${JSON.stringify(boot({ cpuS: null }))}\n`;
    expect(parseBootLog(text)).toEqual([a, boot({ cpuS: null })]);
  });

  test('boots go to the test file running when they became ready, by process', () => {
    const t = (s: number) => Date.parse('2026-12-06T15:00:00.000Z') + s * 1000;
    const at = (s: number) => new Date(t(s)).toISOString();
    const files = [
      { file: 'suites/a.test.ts', startTime: t(10), endTime: t(20) },
      { file: 'suites/b.test.ts', startTime: t(20), endTime: t(30) },
    ];
    const boots = [
      timedBoot(boot({ at: at(5) })),
      timedBoot(boot({ at: at(10), process: 'authlab.js' })),
      timedBoot(boot({ at: at(25) })),
      { atMs: t(29), source: 'compose' as const },
      timedBoot(boot({ at: at(40) })),
    ];
    expect(bootsByFile(boots, files)).toEqual({
      [BEFORE_FILES]: { worker: 1, cli: 0, compose: 0 },
      'suites/a.test.ts': { worker: 0, cli: 1, compose: 0 },
      'suites/b.test.ts': { worker: 1, cli: 0, compose: 1 },
      [AFTER_FILES]: { worker: 1, cli: 0, compose: 0 },
    });
  });

  test("an n8n container compose starts is a boot; another image, another event or one without compose's label is not", () => {
    const event = (image: string, labels: Record<string, string> = { 'com.docker.compose.project': 'lab-x' }, action = 'start') => ({
      Type: 'container',
      Action: action,
      timeNano: 1_765_000_000_123_000_000,
      Actor: { ID: 'c', Attributes: { image, ...labels } },
    });
    expect(composeBootOf(event('n8nio/n8n:2.41.0'))).toEqual({ atMs: 1_765_000_000_123, version: '2.41.0', image: 'n8nio/n8n:2.41.0', project: 'lab-x' });
    expect(composeBootOf(event('authlab/n8n-faketime:1.116.2'))?.version).toBe('1.116.2');
    expect(composeBootOf(event('authlab/nginx:bookworm'))).toBeUndefined();
    expect(composeBootOf(event('authlab/n8n:2.41.0', {}))).toBeUndefined();
    expect(composeBootOf(event('n8nio/n8n:2.41.0', undefined, 'die'))).toBeUndefined();
  });
});
