import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../parts/images/paths.ts';

/** One lab started on a warm machine (its images built) by scripts/lab-measure.ts. */
export interface LabMeasurement {
  /** The n8n version it ran on (the default, or the newest where it breaks). */
  version: string;
  /** From `authlab lab <id>` to its prompt: the stack started, broken, the symptom seen. */
  startSeconds: number;
  /** The memory its containers used right after the start (`docker stats`), summed. */
  memoryMiB: number;
  /** The machine's 1-minute load average when the start began (the machine is shared: starts slow down with it). */
  load?: number;
  /** How many containers it ran, and their images: n8n, the proxy, the mock APIs. */
  containers: number;
  images?: string[];
  /** When, where a later run (scripts/lab-measure.ts --only) measured it than the file's date. */
  measuredAt?: string;
}

/** Several seats of one lab started at once on one machine, each with its own AUTHLAB_HOME. */
export interface SeatsMeasurement {
  lab: string;
  version: string;
  seats: number;
  /** Each seat's start, from its command to its prompt. */
  startSeconds: number[];
  /** All seats' containers right after the last start. */
  memoryMiB: number;
  loadBefore: number;
  measuredAt: string;
}

/** What scripts/lab-measure.ts wrote: when, on what machine, and a measurement per lab. */
export interface LabMeasurements {
  measuredAt: string;
  machine: { cores: number; memoryGiB: number; loadBefore: number; loadAfter: number };
  labs: Record<string, LabMeasurement>;
  seats?: SeatsMeasurement[];
}

export const LAB_MEASURED_FILE = join(FIXTURES_DIR, 'labs', 'lab-measured.json');

export const labMeasurementsJson = (m: LabMeasurements): string => `${JSON.stringify(m, null, 2)}\n`;

/** The measurements shipped with the package; none where the file is absent (a lab then shows "not measured"). */
export function readLabMeasurements(): LabMeasurements | undefined {
  try {
    return JSON.parse(readFileSync(LAB_MEASURED_FILE, 'utf8')) as LabMeasurements;
  } catch {
    return undefined;
  }
}
