import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { releaseNotesUrl, releasesBetween } from '../../src/features/bisect/releases.ts';
import { bisect, nextIndex, type Probe } from '../../src/features/bisect/search.ts';
import { UnknownN8nVersionError } from '../../src/parts/images/n8n-versions.ts';
import { UserError } from '../../src/base/user-error.ts';

/** The tool's own folder (locks, caches) in a new temporary directory. */
function useFreshAuthlabHome(): void {
  process.env.AUTHLAB_HOME = mkdtempSync(join(tmpdir(), 'authlab-bisect-'));
}

const OLD = 'old';
const NEW = 'new';

/** Releases 2.30.0 .. 2.30.n (good first, bad last), and a probe whose behaviour changes at `changesAt`. */
function releases(n: number): string[] {
  return Array.from({ length: n + 1 }, (_, i) => `2.30.${i}`);
}
function probeChangingAt(list: string[], changesAt: number, skip: Record<string, string> = {}) {
  const tried: string[] = [];
  const probe = async (v: string): Promise<Probe> => {
    tried.push(v);
    if (skip[v]) return { kind: 'skipped', reason: skip[v] };
    return { kind: 'judged', behaviour: list.indexOf(v) >= changesAt ? NEW : OLD };
  };
  return { probe, tried };
}

describe('bisect: the first release whose behaviour differs from --good', () => {
  test('the monotonic assumption holds: for every place the change can be, it is found in log2(n) tries', async () => {
    const list = releases(74);
    for (let at = 1; at <= 74; at++) {
      const { probe, tried } = probeChangingAt(list, at);
      const r = await bisect(list, OLD, probe);
      expect(r.firstDiffering).toBe(list[at]);
      expect(r.lastSame).toBe(list[at - 1]);
      expect(tried.length).toBeLessThanOrEqual(Math.ceil(Math.log2(74)));
      expect(tried).not.toContain(list[0]);
      expect(tried).not.toContain(list[74]);
    }
  });

  test('good and bad adjacent: nothing to try, bad is the answer', async () => {
    const { probe, tried } = probeChangingAt(['2.40.7', '2.41.0'], 1);
    const r = await bisect(['2.40.7', '2.41.0'], OLD, probe);
    expect(tried).toEqual([]);
    expect(r).toMatchObject({ firstDiffering: '2.41.0', lastSame: '2.40.7', candidates: [], steps: [] });
  });

  test('a release that cannot be built is skipped and named; its neighbour is tried instead', async () => {
    const list = releases(8); // middle: 2.30.4
    const { probe, tried } = probeChangingAt(list, 6, { '2.30.4': 'cannot be built: @n8n/agents@0.26.2 missing' });
    const r = await bisect(list, OLD, probe);
    expect(tried[0]).toBe('2.30.4');
    expect(tried[1]).toBe('2.30.3'); // the nearest untried neighbour, the lower on a tie
    expect(r.firstDiffering).toBe('2.30.6');
    expect(r.skipped).toEqual([{ version: '2.30.4', reason: 'cannot be built: @n8n/agents@0.26.2 missing' }]);
    expect(r.steps.map((s) => s.outcome)).toContain('skipped');
  });

  test('a skipped release next to the change leaves it open: both are named as candidates', async () => {
    const list = releases(4);
    const { probe } = probeChangingAt(list, 2, { '2.30.2': 'cannot be built' });
    const r = await bisect(list, OLD, probe);
    expect(r.firstDiffering).toBeUndefined();
    expect(r.lastSame).toBe('2.30.1');
    expect(r.candidates).toEqual(['2.30.2', '2.30.3']);
  });

  test('a third behaviour (neither good nor bad) counts as differing from good', async () => {
    const list = releases(4);
    const probe = async (v: string): Promise<Probe> => ({ kind: 'judged', behaviour: v === '2.30.2' ? 'third' : list.indexOf(v) >= 2 ? NEW : OLD });
    expect((await bisect(list, OLD, probe)).firstDiffering).toBe('2.30.2');
  });

  test('each step says how many releases were left and what it found', async () => {
    const list = releases(8);
    const steps: number[] = [];
    await bisect(list, OLD, probeChangingAt(list, 3).probe, (s) => steps.push(s.left));
    expect(steps[0]).toBe(7);
    expect(steps.every((n, i) => i === 0 || n < steps[i - 1]!)).toBe(true);
  });

  test('nextIndex: the middle, then neighbours around skipped ones, none when only skipped are left', () => {
    expect(nextIndex(0, 10, new Set())).toBe(5);
    expect(nextIndex(0, 10, new Set([5]))).toBe(4);
    expect(nextIndex(0, 10, new Set([5, 4]))).toBe(6);
    expect(nextIndex(0, 3, new Set([1, 2]))).toBeUndefined();
    expect(nextIndex(0, 1, new Set())).toBeUndefined();
  });
});

describe('bisect: the releases searched', () => {
  const served = ['2.30.7', '2.30.8', '2.31.0', '2.31.0-beta.1', '2.36.10', '2.36.9', '2.40.7', '2.41.0', '2.41.3'];

  test('stable releases between the two, in semver order (2.36.9 before 2.36.10), both ends included', () => {
    expect(releasesBetween(served, '2.30.8', '2.41.0')).toEqual(['2.30.8', '2.31.0', '2.36.9', '2.36.10', '2.40.7', '2.41.0']);
  });

  test('bad input: a version not served names the nearest; --good not older than --bad', () => {
    expect(() => releasesBetween(served, '2.30.99', '2.41.0')).toThrow(UnknownN8nVersionError);
    expect(() => releasesBetween(served, '2.41.0', '2.30.8')).toThrow(UserError);
    expect(() => releasesBetween(served, '2.41.0', '2.41.0')).toThrow(/--good must be older than --bad/);
  });

  test("a release's notes on GitHub", () => {
    expect(releaseNotesUrl('2.37.0')).toBe('https://github.com/n8n-io/n8n/releases/tag/n8n%402.37.0');
  });
});

describe('bisect: side by side, each release is made once', () => {
  test('a second process waits for the lock on a version, and runs after the first is done', async () => {
    useFreshAuthlabHome();
    const { withVersionLock } = await import('../../src/parts/images/build-lock.ts');
    const order: string[] = [];
    const work = (name: string) => async () => {
      order.push(`${name} start`);
      await new Promise((r) => setTimeout(r, 300));
      order.push(`${name} end`);
    };
    const waits: string[] = [];
    await Promise.all([withVersionLock('2.36.3', (l) => waits.push(l), work('a')), withVersionLock('2.36.3', (l) => waits.push(l), work('b'))]);
    // Whichever takes the lock first (a loaded machine may start either) runs to its end before the other starts.
    const [first, second] = [order[0]!.split(' ')[0]!, order[2]!.split(' ')[0]!];
    expect(new Set([first, second])).toEqual(new Set(['a', 'b']));
    expect(order).toEqual([`${first} start`, `${first} end`, `${second} start`, `${second} end`]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(/another process \(pid (\d+|\?)\) is making its image; waiting for it/);
  }, 20_000);
});

describe('bisect: a request n8n did not answer in time is not a behaviour', () => {
  test('a symptom exchange that timed out makes the result unanswered; a refused start does not', async () => {
    const { unanswered } = await import('../../src/features/bisect/try-release.ts');
    const result = (error: string) => ({ observation: { symptom: [{ label: 'GET /api/v1/workflows without a key', error }], remedies: [] } }) as never;
    expect(unanswered(result('no answer within 10000 ms'))).toBe('"GET /api/v1/workflows without a key" got no answer in time (no answer within 10000 ms)');
    expect(unanswered(result('n8n did not start: it exited with code 1; it said: Worker exiting due to an error.'))).toBeUndefined();
  });

  test("a remedy's request that timed out makes the result unanswered too: its verdict would say no fix was verified", async () => {
    const { unanswered } = await import('../../src/features/bisect/try-release.ts');
    const exchange = (error?: string) => ({ label: 'the API key issued before the change', ...(error ? { error } : {}) });
    const result = (error?: string) =>
      ({ observation: { symptom: [exchange()], remedies: [{ name: 'restore the JWT secret', exchanges: [exchange(error)] }] } }) as never;
    expect(unanswered(result('no answer within 10000 ms'))).toBe('"the API key issued before the change" got no answer in time (no answer within 10000 ms)');
    expect(unanswered(result())).toBeUndefined();
  });
});

describe('bisect: a release the registry cannot install is remembered for a day', () => {
  test('remembered with its reason, forgotten after a day; a failed build (not a missing package) is not remembered', async () => {
    useFreshAuthlabHome();
    const { knownUninstallable, rememberUninstallable } = await import('../../src/features/bisect/uninstallable.ts');
    const missing = 'n8n 2.36.4 cannot be installed from this registry: notarget No matching version found for @n8n/ai-node-sdk@0.26.3.';
    await rememberUninstallable('2.36.4', missing);
    await rememberUninstallable('2.36.0', 'the build failed: no space left on device');
    expect(await knownUninstallable('2.36.4')).toMatch(/^n8n 2\.36\.4 cannot be installed .*@n8n\/ai-node-sdk@0\.26\.3\. \(as found at /);
    expect(await knownUninstallable('2.36.0')).toBeUndefined();
    expect(await knownUninstallable('2.36.4', Date.now() + 25 * 3600_000)).toBeUndefined();
  });
});
