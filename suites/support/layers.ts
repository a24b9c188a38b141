import type { ModuleGraph } from './module-graph.ts';

/**
 * The layers of src/, lowest first: each module imports only from its own layer or a layer below
 * (docs/architecture.md draws them). Each layer is one folder of src/ (the front ends: src/cli/ and src/index.ts).
 */
export const LAYERS: readonly { name: string; paths: readonly string[] }[] = [
  { name: 'base', paths: ['src/base'] },
  { name: 'docker engine', paths: ['src/docker'] },
  { name: 'parts', paths: ['src/parts'] },
  { name: 'scenario core', paths: ['src/core'] },
  { name: 'engine', paths: ['src/engine'] },
  { name: 'catalogue', paths: ['src/families'] },
  { name: 'features', paths: ['src/features'] },
  { name: 'front ends', paths: ['src/cli', 'src/index.ts'] },
];

/** The index in LAYERS of the layer a module of src/ belongs to, or undefined for a module in none. */
export function layerOf(file: string): number | undefined {
  const i = LAYERS.findIndex((l) => l.paths.some((p) => file === p || file.startsWith(`${p}/`)));
  return i < 0 ? undefined : i;
}

/** One line per module in no layer and per import from a layer above the importer's own. */
export function layerViolations(graph: ModuleGraph): string[] {
  const lines: string[] = [];
  for (const [file, imports] of graph) {
    const own = layerOf(file);
    if (own === undefined) {
      lines.push(`${file} is in no layer (add its folder to LAYERS in suites/support/layers.ts)`);
      continue;
    }
    for (const target of imports) {
      const theirs = layerOf(target);
      if (theirs !== undefined && theirs > own) {
        lines.push(`${file} (${LAYERS[own]!.name}) imports ${target} (${LAYERS[theirs]!.name}), a layer above its own`);
      }
    }
  }
  return lines.sort();
}
