import type { ScenarioResult } from '../scenarios/types.ts';
import { doctorDisagreement } from '../doctor/scenario-doctor.ts';

/** Why a result fails CI: it could not run, its fault was not shown, the verified fix did not fix it, or the doctor named the wrong mode. */
export function failureOf(r: ScenarioResult): string | undefined {
  if (r.verdict.kind === 'not-runnable') return undefined;
  if (r.error) return r.error;
  if (r.verdict.kind === 'inconclusive') return r.verdict.summary;
  if (!r.correctFixResolves) return 'the fix this project verified did not resolve the fault';
  return doctorDisagreement(r.observation);
}
