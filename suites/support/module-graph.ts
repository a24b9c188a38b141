import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The static import graph of the project's own TypeScript modules, read with a regex over each
 * file's `import ... from` and `export ... from` lines (type-only ones too: a cycle of types is
 * still a cycle to read). `import('...')` is left out on purpose: a lazy import is how a module
 * avoids loading another until it needs it.
 */
export type ModuleGraph = Map<string, string[]>;

const STATIC_IMPORT = /(?:^|\n)\s*(?:(?:import|export)\b[^'";]*?\bfrom\s*|import\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
const LAZY_IMPORT = /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** With `lazy`, the `import('...')`s count too: a lazy import still points from one layer to another. */
export function moduleGraph(root: string, dir = 'src', { lazy = false } = {}): ModuleGraph {
  const graph: ModuleGraph = new Map();
  const walk = (d: string) => {
    for (const entry of readdirSync(join(root, d), { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) graph.set(path, importsOf(root, path, lazy));
    }
  };
  walk(dir);
  return graph;
}

function importsOf(root: string, file: string, lazy: boolean): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found = [...text.matchAll(STATIC_IMPORT), ...(lazy ? text.matchAll(LAZY_IMPORT) : [])];
  return found.map((m) => relative(root, resolve(root, dirname(file), m[1]!)));
}

/** Every module `entry` loads when it is imported, itself included. */
export function closureOf(graph: ModuleGraph, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph.get(file) ?? []) visit(next);
  };
  visit(entry);
  return seen;
}

/** The import cycles: each strongly connected group of two or more modules (or one that imports itself), sorted. */
export function importCycles(graph: ModuleGraph): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!order.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) !== order.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(group.sort());
  };
  for (const v of graph.keys()) if (!order.has(v)) connect(v);
  return cycles;
}
