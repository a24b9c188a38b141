import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PACKAGE_ROOT } from '../../src/parts/images/paths.ts';

const scripts = (JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

/** What the bootstrap would bring for `npm run <script> -- <args>`, as it says it (AUTHLAB_BOOTSTRAP_PLAN: nothing installed). */
function needs(script: string, ...args: string[]): string[] {
  const command = scripts[script]!.replace(/^bash scripts\/bootstrap\.sh /, '').split(' ');
  const said = execFileSync('bash', ['scripts/bootstrap.sh', ...command, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, AUTHLAB_BOOTSTRAP_PLAN: '1' },
    encoding: 'utf8',
  });
  return said.trim().split(' needs: ')[1]!.split(' ');
}

describe('the bootstrap brings only what the command being run needs', () => {
  test('the commands that read or probe (doctor, inspect-key, diff, list, lab hints): Node alone', () => {
    for (const args of [
      ['doctor', '--url', 'http://localhost:5678'],
      ['inspect-key', '--key-file', 'k'],
      ['diff', 'a.json', 'b.json'],
      ['list'],
      ['lab', 'list'],
      ['lab', 'proxy.blanked-header', '--hints'],
      ['check', '--help'],
    ])
      expect(needs('authlab', ...args), args.join(' ')).toEqual(['node']);
  });

  test('the commands that start containers (check, upgrade, lab, images, bisect): Docker, not Chromium', () => {
    for (const args of [['check', '--compose', 'docker-compose.yml'], ['upgrade'], ['lab', 'proxy.blanked-header'], ['images', '--n8n', '2.41.0']])
      expect(needs('authlab', ...args), args.join(' ')).toEqual(['node', 'docker']);
    // A bisect runs the scenario as the catalogue does: the guide's curl samples too.
    expect(needs('authlab', 'bisect', 'headers.nbsp', '--good', '1.116.2', '--bad', '2.41.0')).toEqual(['node', 'docker', 'curl']);
    expect(needs('authlab', 'bisect', 'browser.push-no-upgrade', '--good', '1.116.2', '--bad', '2.41.0')).toEqual(['node', 'docker', 'curl', 'chromium']);
  });

  test('the catalogue needs Chromium for the browser family; narrowed to other families, it does not', () => {
    expect(needs('catalogue')).toEqual(['node', 'docker', 'curl', 'chromium']);
    expect(needs('catalogue', '--family', 'headers,proxy')).toEqual(['node', 'docker', 'curl']);
    expect(needs('catalogue', '--only', 'browser.secure-cookie-http')).toEqual(['node', 'docker', 'curl', 'chromium']);
  });

  test('the test run needs everything, docker-compose too', () => {
    expect(needs('test')).toEqual(['node', 'docker', 'curl', 'chromium', 'compose']);
  });
});
