import type { ScenarioResult } from '../../core/types.ts';
import { doctorDisagreement } from '../../core/scenario-doctor.ts';
import { metricsError } from '../../parts/metrics/observation.ts';

/**
 * Why a result fails CI: it could not run, its fault was not shown, the verified fix did not fix
 * it, the doctor named the wrong mode, or its stack's metrics could not be read (the verdict stands).
 */
export function failureOf(r: ScenarioResult): string | undefined {
  if (r.verdict.kind === 'not-runnable') return undefined;
  if (r.error) return r.error;
  if (r.verdict.kind === 'inconclusive') return r.verdict.summary;
  if (!r.correctFixResolves) return 'the fix this project verified did not resolve the fault';
  const metrics = metricsError(r.observation.metrics);
  return (
    doctorDisagreement(r.observation, r.verdict.kind !== 'does-not-happen') ??
    (metrics !== undefined ? `n8n's metrics could not be read: ${metrics}` : undefined)
  );
}
