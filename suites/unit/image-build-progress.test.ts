import { describe, expect, test } from 'vitest';
import { buildKitOutput, buildStep } from '../../src/parts/images/docker-build.ts';
import { npmInstallProgress, packagesToInstall } from '../../src/parts/images/npm-progress.ts';
import { withoutExtraneous } from '../../src/parts/images/n8n-image.ts';

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe("an n8n image build's progress", () => {
  test("npm's http log becomes a count of packages downloaded and taken from the shared cache", () => {
    const lines: string[] = [];
    const install = npmInstallProgress(4, (l) => lines.push(l), 60_000);
    install.line('npm http fetch GET 200 https://registry.npmjs.org/ms 80ms (cache miss)');
    install.line('npm http fetch GET 304 https://registry.npmjs.org/semver 40ms (cache revalidated)');
    install.line('npm http fetch GET 200 https://registry.npmjs.org/ms/-/ms-2.1.3.tgz 156ms (cache miss)');
    install.line('npm http cache semver@https://registry.npmjs.org/semver/-/semver-7.6.0.tgz 0ms (cache hit)');
    // npm says "cache hit" as it tries its cache, then downloads what the cache did not have
    install.line('npm http cache ms@https://registry.npmjs.org/ms/-/ms-2.1.3.tgz 0ms (cache hit)');
    install.line('sqlite3 5.1.7: binding from the shared cache (sqlite3-5.1.7-abi127-x86_64)');
    install.line('npm warn deprecated something');
    install.stop();
    expect(lines[0]).toMatch(/^npm install done: 2 of about 4 packages \(1 downloaded, 1 from the shared npm cache; 2 package documents\), \d+ s$/);
    expect(lines[1]).toBe('sqlite3 5.1.7: binding from the shared cache (sqlite3-5.1.7-abi127-x86_64)');
    expect(lines).toHaveLength(2);
  });

  test('nothing is reported before npm has fetched anything', () => {
    const lines: string[] = [];
    npmInstallProgress(4, (l) => lines.push(l), 60_000).stop();
    expect(lines).toEqual([]);
  });

  test('the packages counted are the tarballs npm installs on linux-x64 without dev dependencies', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/a': { version: '1.0.0' },
        'node_modules/b/node_modules/a': { version: '1.0.0' },
        'node_modules/c/node_modules/a': { version: '2.0.0' },
        'node_modules/dev-only': { dev: true },
        'node_modules/a-android-arm64': { os: ['android'], cpu: ['arm64'] },
        'node_modules/a-linux-x64': { version: '1.0.0', os: ['linux'], cpu: ['x64'] },
        'node_modules/left-over': { extraneous: true },
      },
    };
    expect(packagesToInstall(lock)).toBe(3);
  });

  test("the lockfile a build installs from leaves out what npm marked extraneous (another platform's build that npm ci would refuse)", () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { n8n: '2.30.8' } },
        'node_modules/canvas-linux-x64': { version: '0.1.80', optional: true, os: ['linux'], cpu: ['x64'] },
        'node_modules/x/node_modules/canvas-android-arm64': { version: '0.1.80', extraneous: true, os: ['android'], cpu: ['arm64'] },
      },
    };
    expect(Object.keys(JSON.parse(withoutExtraneous(JSON.stringify(lock))).packages)).toEqual(['', 'node_modules/canvas-linux-x64']);
  });

  test("BuildKit's log messages (base64 from dockerode) become lines, a message ending mid-line joined to the next", () => {
    const output = buildKitOutput();
    expect(output(base64('npm http fetch GET 200 https://x/a.tgz 1ms (cache miss)\nnpm http fe'))).toEqual([
      'npm http fetch GET 200 https://x/a.tgz 1ms (cache miss)',
    ]);
    expect(output(base64('tch GET 200 https://x/b.tgz 2ms (cache miss)\n'))).toEqual(['npm http fetch GET 200 https://x/b.tgz 2ms (cache miss)']);
    expect(output(base64('b\n'))).toEqual(['b']);
    expect(output('CACHED: [stage-0 2/9] RUN apt-get update')).toEqual(['CACHED: [stage-0 2/9] RUN apt-get update']);
  });

  test("a build step is found in the classic builder's and in BuildKit's lines (padded step numbers too)", () => {
    expect(buildStep('Step 3/9 : RUN apt-get update\n')).toBe('Step 3/9 : RUN apt-get update');
    expect(buildStep('[sha256:b5301] [stage-0  9/10] RUN npm install\n')).toBe('[stage-0  9/10] RUN npm install');
    expect(buildStep('CACHED: [stage-0  2/10] RUN apt-get update\n')).toBe('CACHED: [stage-0  2/10] RUN apt-get update');
    expect(buildStep('[sha256:f0a7e] [internal] load remote build context\n')).toBeUndefined();
  });
});
