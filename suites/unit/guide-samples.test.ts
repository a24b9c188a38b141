import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const SAMPLES = new URL('../../fixtures/guide-code/', import.meta.url);
const { dependencies } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

describe("the guide's own Node.js samples run as printed", () => {
  // They run from the project's node_modules: a module they require that is not a dependency
  // breaks them before they send anything (node-fetch looks unused from src/, and is not).
  test.each(readdirSync(SAMPLES).filter((f) => /\.c?js$/.test(f)))('every module %s requires is a dependency', (file) => {
    const required = [...readFileSync(new URL(file, SAMPLES), 'utf8').matchAll(/require\('([^']+)'\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) expect(Object.keys(dependencies), `${file} requires ${name}`).toContain(name);
  });
});
