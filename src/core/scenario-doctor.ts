import { mask } from '../base/secrets.ts';
import type { BrokenScenario, DoctorExpectation, DoctorRun, DoctorVerdict, Observation, ScenarioContext } from './types.ts';
import type { Exchange } from '../parts/client/exchange.ts';
import { runDoctor, type DoctorInput } from '../parts/diagnosis/doctor.ts';
import { describeReading } from '../parts/diagnosis/executions.ts';

/** The mode a scenario's doctor expectation asks for, given what the symptom showed. */
export function expectedDoctorVerdict(expectation: Pick<DoctorExpectation, 'names'>, symptom: Exchange[]): DoctorVerdict {
  return typeof expectation.names === 'string' ? expectation.names : expectation.names.decide(symptom);
}

/** A fault that may turn out harmless (the run decides): the doctor must name `mode` only where the symptom failed. */
export function namesUnlessAccepted(mode: DoctorVerdict): DoctorExpectation['names'] {
  return { among: [mode, 'healthy'], decide: (symptom) => (symptom.every((e) => e.context || e.outcome === 'accepted') ? 'healthy' : mode) };
}

/** Every mode a scenario may expect (for the list of fixes the catalogue verified per mode). */
export function possibleDoctorVerdicts(expectation: Pick<DoctorExpectation, 'names'>): DoctorVerdict[] {
  return typeof expectation.names === 'string' ? [expectation.names] : expectation.names.among;
}

/**
 * What a user of the scenario's stack would hand the doctor: n8n's URL, the key as issued, n8n's
 * encryption key, and the executions since the scenario started (the stack may be shared: another
 * scenario's failed runs are not this one's fault); the scenario may change any of it.
 */
function doctorInputFor(broken: Pick<BrokenScenario, 'doctorInput'>, ctx: ScenarioContext, phase: 'broken' | 'fixed'): DoctorInput {
  const n8n = ctx.n8n.container;
  return {
    url: n8n.getBaseUrl(),
    key: ctx.n8n.apiKey.rawApiKey,
    encryptionKey: n8n.settings.encryptionKey,
    executions: { since: ctx.startedAt },
    ...broken.doctorInput(phase),
  };
}

/** Runs the doctor against a scenario's live stack; a doctor that throws is recorded, not fatal to the scenario. */
export async function doctorOn(broken: Pick<BrokenScenario, 'doctorInput'>, ctx: ScenarioContext, phase: 'broken' | 'fixed'): Promise<DoctorRun> {
  try {
    const report = await runDoctor(doctorInputFor(broken, ctx, phase));
    return { named: report.diagnoses.map((d) => d.mode), report };
  } catch (err) {
    return { named: [], error: mask(err instanceof Error ? err.message : String(err)) };
  }
}

/** What the doctor said, in one line: each mode with its evidence, `healthy`, or why it failed; then what it read of the executions, or could not check. */
export function doctorSaid(run: DoctorRun): string {
  if (run.error) return `failed: ${run.error}`;
  const d = run.report?.diagnoses ?? [];
  const executions = run.report?.executions;
  const read = executions?.readable && executions.inScope > 0 ? [describeReading(executions)] : [];
  // What went unchecked matters when nothing was found: "healthy" is then only as good as what was read.
  const aside = [...read, ...(d.length ? [] : (run.report?.unchecked ?? []))];
  return mask(`${d.length ? d.map((x) => `${x.mode} (${x.evidence.join('; ')})`).join(' | ') : 'healthy'}${aside.length ? ` [${aside.join('; ')}]` : ''}`);
}

/**
 * Where the doctor got a scenario wrong: on the broken stack it must name the scenario's mode
 * first (nothing, where this version does not fail at all), and after the first fix that resolved
 * it, nothing. Undefined when it agreed.
 */
export function doctorDisagreement(obs: Observation, failed = true): string | undefined {
  const doctor = obs.doctor;
  if (!doctor) return undefined;
  const first = doctor.broken.named[0] ?? 'healthy';
  const expected = failed ? doctor.expected : 'healthy';
  if (doctor.broken.error || first !== expected)
    return `the doctor on the ${failed ? 'broken' : 'faulted (but working)'} stack should name ${expected === 'healthy' ? 'nothing' : expected}; it said: ${doctorSaid(doctor.broken)}`;
  const fixed = obs.remedies.some((r) => r.resolved && r.source !== 'tried');
  if (fixed && (!doctor.fixed || doctor.fixed.error || doctor.fixed.named.length))
    return `the doctor after "${doctor.fixed?.after}" should find nothing; it said: ${doctor.fixed ? doctorSaid(doctor.fixed) : 'nothing (not run)'}`;
  return undefined;
}
