import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { closureOf, importCycles, moduleGraph } from '../support/module-graph.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const graph = moduleGraph(ROOT);
const CATALOGUE = 'src/families/registry.ts';

/** The project's modules a command line really loads (suites/support/record-loads.mjs prints them). */
function loadedBy(args: string[]): string[] {
  const hook = fileURLToPath(new URL('../support/record-loads.mjs', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', hook, 'bin/authlab.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('loaded '))
    .map((l) => l.slice('loaded '.length));
}

describe('the module graph', () => {
  test('has no import cycle (type-only imports count; lazy import() does not)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph)).toEqual([]);
  });

  test('the CLI loads no command before it runs: main.ts does not import the catalogue', () => {
    expect(closureOf(graph, 'src/cli/main.ts').has(CATALOGUE)).toBe(false);
  });

  test('the doctor command imports neither the catalogue nor any family', () => {
    const doctor = [...closureOf(graph, 'src/cli/doctor-command.ts')];
    expect(doctor.filter((f) => f === CATALOGUE || f.startsWith('src/families/'))).toEqual([]);
  });

  test('authlab doctor --help loads the doctor command and not the catalogue', () => {
    const loaded = loadedBy(['doctor', '--help']);
    expect(loaded).toContain('src/cli/commands.ts');
    expect(loaded).not.toContain(CATALOGUE);
    expect(loaded.filter((f) => f.startsWith('src/families/'))).toEqual([]);
  });

  test('the catalogue loads without the browser library: authlab list starts no Chromium driver (playwright-core is loaded when a browser starts)', () => {
    const loaded = loadedBy(['list', '--family', 'browser']);
    expect(loaded).toContain(CATALOGUE);
    expect(loaded).toContain('src/parts/browser/browser-session.ts');
    expect(loaded).not.toContain('node_modules/playwright-core');
  });

  test('an option run does not take loads no body of run; the doctor loads the catalogue only to name the fixes of a mode it found', () => {
    expect(loadedBy(['doctor', '--url', 'ftp://example'])).not.toContain(CATALOGUE);
    expect(loadedBy(['run', '--compose', 'x'])).not.toContain('src/cli/run-command.ts');
    // Nothing listens on port 1: the doctor tells n8n unreachable and prints the fixes a scenario verified for an n8n that refused to start.
    expect(loadedBy(['doctor', '--url', 'http://127.0.0.1:1', '--executions', '0'])).toContain(CATALOGUE);
  });
});
