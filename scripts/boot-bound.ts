// The boot bound: what a run's n8n boots alone cost the machine, boots x median boot CPU / cores,
// summed over versions. A run cannot be faster than its boots (every boot to ready burns that CPU),
// so wall / bound says how far a run is from the speed its boots allow. See docs/performance.md.
import type { BootRecord, BootStart } from '../src/parts/stack/boot-log.ts';

export interface VersionBoots {
  boots: number;
  fresh: number;
  replacement: number;
  restart: number;
  /** Boots counted without a CPU reading of their own (compose's), charged the median. */
  uncounted: number;
  medianCpuS: number | null;
  medianReadyS: number | null;
}

export interface BootSummary {
  boots: number;
  fresh: number;
  replacement: number;
  restart: number;
  uncounted: number;
  cores: number;
  perVersion: Record<string, VersionBoots>;
  /** Σ per version: boots x median boot CPU / cores, in seconds. */
  boundS: number;
}

/** A boot seen without a line of its own in the boot log (a compose container), with its version. */
export interface UncountedBoot {
  version: string;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The version in an n8n image's tag: `authlab/n8n-faketime:2.41.0` → `2.41.0`. */
export function versionOfImage(image: string): string {
  return image.slice(image.lastIndexOf(':') + 1);
}

export function summariseBoots(records: readonly BootRecord[], cores: number, uncounted: readonly UncountedBoot[] = []): BootSummary {
  const versions = [...new Set([...records, ...uncounted].map((r) => r.version))].sort();
  const allCpu = records.flatMap((r) => (r.cpuS === null ? [] : [r.cpuS]));
  const count = (rs: readonly BootRecord[], start: BootStart) => rs.filter((r) => r.start === start).length;
  const perVersion: Record<string, VersionBoots> = {};
  let boundCpuS = 0;
  for (const v of versions) {
    const own = records.filter((r) => r.version === v);
    const extra = uncounted.filter((u) => u.version === v).length;
    const cpu = own.flatMap((r) => (r.cpuS === null ? [] : [r.cpuS]));
    // A version only compose booted is charged every version's median.
    const medianCpuS = median(cpu) ?? median(allCpu);
    const ready = median(own.map((r) => r.readyMs / 1000));
    perVersion[v] = {
      boots: own.length + extra,
      fresh: count(own, 'fresh'),
      replacement: count(own, 'replacement'),
      restart: count(own, 'restart'),
      uncounted: extra,
      medianCpuS: medianCpuS === null ? null : round(medianCpuS, 2),
      medianReadyS: ready === null ? null : round(ready),
    };
    boundCpuS += (own.length + extra) * (medianCpuS ?? 0);
  }
  const total = (k: 'fresh' | 'replacement' | 'restart' | 'uncounted') => Object.values(perVersion).reduce((t, p) => t + p[k], 0);
  return {
    boots: records.length + uncounted.length,
    fresh: total('fresh'),
    replacement: total('replacement'),
    restart: total('restart'),
    uncounted: total('uncounted'),
    cores,
    perVersion,
    boundS: round(boundCpuS / cores),
  };
}

export function wallOverBound(wallS: number, boundS: number): number | null {
  return boundS > 0 ? round(wallS / boundS, 2) : null;
}

/** The rows the bench pages add to their measure | value table. */
export function boundRows(s: BootSummary, wallS: number, what: string): string[] {
  const ratio = wallOverBound(wallS, s.boundS);
  const minutes = (x: number) => `${x} s (${round(x / 60)} min)`;
  return [
    `| n8n boots ${what}: fresh / over existing data / docker restart${s.uncounted ? ' / compose (no line of their own)' : ''} | ${s.boots}: ${s.fresh} / ${s.replacement} / ${s.restart}${s.uncounted ? ` / ${s.uncounted}` : ''} |`,
    ...Object.entries(s.perVersion).map(
      ([v, p]) =>
        `| n8n ${v}: boots, median boot CPU (user + system, the container's own), median start to ready | ${p.boots}, ${p.medianCpuS ?? '-'} s, ${p.medianReadyS ?? '-'} s |`,
    ),
    `| boot bound: boots x median boot CPU / ${s.cores} cores | ${minutes(s.boundS)} |`,
    `| wall / boot bound | ${ratio ?? '-'} (wall ${minutes(wallS)}) |`,
  ];
}

/** Where a boot came from in the test command: the vitest worker (the engine, the files' own stacks), a CLI child, docker compose. */
export type BootSource = 'worker' | 'cli' | 'compose';

export interface TimedBoot {
  atMs: number;
  source: BootSource;
}

export function timedBoot(r: BootRecord): TimedBoot {
  return { atMs: Date.parse(r.at), source: r.process === 'authlab.js' ? 'cli' : 'worker' };
}

export interface FileWindow {
  file: string;
  startTime: number;
  endTime: number;
}

export const BEFORE_FILES = '(before the first file: global setup)';
export const AFTER_FILES = '(after the last file)';

/** Boots per test file by the time they became ready (the files run one at a time), with those outside every file's time. */
export function bootsByFile(boots: readonly TimedBoot[], files: readonly FileWindow[]): Record<string, Record<BootSource, number>> {
  const out: Record<string, Record<BootSource, number>> = {};
  const first = Math.min(...files.map((f) => f.startTime));
  for (const b of boots) {
    const file = files.find((f) => b.atMs >= f.startTime && b.atMs < f.endTime)?.file ?? (b.atMs < first ? BEFORE_FILES : AFTER_FILES);
    out[file] ??= { worker: 0, cli: 0, compose: 0 };
    out[file][b.source]++;
  }
  return out;
}
