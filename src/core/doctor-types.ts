import type { DoctorReport } from '../parts/diagnosis/doctor.ts';
import type { FailureModeId } from '../parts/diagnosis/modes.ts';

/** `healthy` where the fault turns out not to break anything (the run decides). */
export type DoctorVerdict = FailureModeId | 'healthy';

/** The doctor run against the broken stack, and again after the first fix that resolved it. */
export interface DoctorObservation {
  expected: DoctorVerdict;
  broken: DoctorRun;
  fixed?: DoctorRun & { after: string };
}

export interface DoctorRun {
  /** The modes named, first first; empty when healthy. */
  named: FailureModeId[];
  report?: DoctorReport;
  error?: string;
}
