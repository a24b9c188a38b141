import { appendFileSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { docker } from '../../docker/docker.ts';

/** The env variable naming the file where every n8n container that becomes ready appends one JSON line (the bench sets it). */
export const BOOT_LOG_ENV = 'AUTHLAB_BOOT_LOG';

/** How a container came to boot: on a new data folder, over another container's data (N8nContainer.replace), or `docker restart`. */
export type BootStart = 'fresh' | 'replacement' | 'restart';

/** One line of the boot log. */
export interface BootRecord {
  /** When it was ready (ISO time). */
  at: string;
  version: string;
  image: string;
  role: 'main' | 'worker';
  stack?: string;
  start: BootStart;
  /** From the start call to ready. */
  readyMs: number;
  /** The container's CPU seconds (user + system) at ready, from its own accounting (Docker's stats, the cgroup's cpuacct); null if unread. */
  cpuS: number | null;
  container: string;
  /** The process that started it (`authlab.js`, vitest's worker, `bench.ts`), its pid and vitest's pool id when in a worker. */
  process: string;
  pid: number;
  pool?: string;
}

export interface BootingContainer {
  getId(): string;
}

/** The container's CPU time so far in seconds: the one-shot stats call (~0.1 s; a streamed one waits for a second sample). */
async function containerCpuSeconds(id: string): Promise<number | null> {
  try {
    const stats = (await (await docker()).getContainer(id).stats({ stream: false, 'one-shot': true } as { stream: false })) as {
      cpu_stats?: { cpu_usage?: { total_usage?: number } };
    };
    const ns = stats.cpu_stats?.cpu_usage?.total_usage;
    return typeof ns === 'number' ? ns / 1e9 : null;
  } catch {
    return null;
  }
}

const pending = new Set<Promise<void>>();

/**
 * Appends the boot's line to the boot log when AUTHLAB_BOOT_LOG names one; does nothing otherwise.
 * The CPU is read after the caller goes on (it does not wait for it). `docker restart` starts the
 * container's accounting again (its cgroup is made anew), so a restart's reading is its boot alone.
 */
export function recordBoot(
  container: BootingContainer,
  boot: Pick<BootRecord, 'version' | 'image' | 'role' | 'stack' | 'start'> & { startedAt: number },
): void {
  const file = process.env[BOOT_LOG_ENV];
  if (!file) return;
  const readyAt = Date.now();
  const id = container.getId();
  const write = containerCpuSeconds(id).then((cpu) => {
    const cpuS = cpu === null ? null : Math.round(cpu * 1000) / 1000;
    const record: BootRecord = {
      at: new Date(readyAt).toISOString(),
      version: boot.version,
      image: boot.image,
      role: boot.role,
      ...(boot.stack ? { stack: boot.stack } : {}),
      start: boot.start,
      readyMs: readyAt - boot.startedAt,
      cpuS,
      container: id.slice(0, 12),
      process: basename(process.argv[1] ?? process.argv0),
      pid: process.pid,
      ...(process.env.VITEST_POOL_ID ? { pool: process.env.VITEST_POOL_ID } : {}),
    };
    try {
      appendFileSync(file, `${JSON.stringify(record)}\n`);
    } catch {
      // A boot log that cannot be written loses a line, never the run.
    }
  });
  pending.add(write);
  void write.finally(() => pending.delete(write));
}

/** Waits for the boot lines still being written (their CPU read). */
export async function bootLogWritten(): Promise<void> {
  await Promise.all([...pending]);
}

/** The boot log's lines; lines that are not a boot record (a torn write) are skipped. */
export function parseBootLog(text: string): BootRecord[] {
  const records: BootRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as Partial<BootRecord>;
      if (typeof r.at === 'string' && typeof r.version === 'string' && typeof r.start === 'string' && (typeof r.cpuS === 'number' || r.cpuS === null)) {
        records.push(r as BootRecord);
      }
    } catch {
      // skipped
    }
  }
  return records;
}

export function readBootLog(file: string): BootRecord[] {
  try {
    return parseBootLog(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}
