import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { LAYERS, layerViolations } from '../support/layers.ts';
import { moduleGraph } from '../support/module-graph.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the layers of src/', () => {
  test('each module imports only from its own layer or one below (lazy imports too), and every module is in a layer', () => {
    const graph = moduleGraph(ROOT, 'src', { lazy: true });
    expect(graph.size).toBeGreaterThan(100);
    expect(layerViolations(graph)).toEqual([]);
  });

  test('an upward import is named in one line, and so is a module in no layer', () => {
    const graph = new Map([
      ['src/docker/cleanup.ts', ['src/parts/browser/browser-session.ts', 'src/base/secrets.ts']],
      ['src/parts/browser/browser-session.ts', ['src/docker/labels.ts']],
      ['src/elsewhere/stray.ts', []],
    ]);
    expect(layerViolations(graph)).toEqual([
      'src/docker/cleanup.ts (docker engine) imports src/parts/browser/browser-session.ts (parts), a layer above its own',
      'src/elsewhere/stray.ts is in no layer (add its folder to LAYERS in suites/support/layers.ts)',
    ]);
  });

  test('a folder belongs to one layer only', () => {
    const paths = LAYERS.flatMap((l) => l.paths);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
