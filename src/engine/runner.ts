import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgedOf } from '../parts/client/exchange.ts';
import { mask } from '../base/secrets.ts';
import { doctorOn, expectedDoctorVerdict } from '../core/scenario-doctor.ts';
import type { StartedAuthStack } from '../parts/stack/auth-stack.ts';
import type { AnyScenario, BoundRemedy, Check, Observation, RemedyObservation, ScenarioContext, ScenarioInfo, ScenarioResult } from '../core/types.ts';
import { computeVerdict, judgeByOutcome } from '../core/verdict.ts';
import { watchSymptomMetrics } from '../parts/metrics/read-metrics.ts';
import { securityMarksOf } from './report/security-finding.ts';

/** Runs one scenario on a started stack: fault and its proof, symptom, each remedy and its resolution, verdict. */
export async function runScenario(scenario: AnyScenario, stack: StartedAuthStack, progress: (line: string) => void = () => undefined): Promise<ScenarioResult> {
  const started = Date.now();
  const workdir = await mkdtemp(join(tmpdir(), `authlab-${scenario.id}-`));
  const ctx = scenarioContext(stack, workdir, progress);
  const observation: Observation = { faultProof: [], symptom: [], alongside: [], remedies: [] };
  try {
    const broken = await scenario.applyFault(ctx);
    observation.faultProof = [...broken.proof];
    const metrics = stack.spec.metrics ? await watchSymptomMetrics(stack.services.prometheus, ctx.n8n.container.getBaseUrl()) : undefined;
    observation.symptom = await broken.symptom();
    // Before the doctor's own requests: the first scrape after the symptom holds the symptom alone.
    if (metrics) observation.metrics = await metrics.after(observation.symptom);
    // A version that lacks what the fault needs ("not runnable") sent no faulty request to prove and has nothing for the doctor to name.
    const lacking = observation.faultProof.some((c) => c.prerequisite && !c.ok);
    if (!lacking) observation.faultProof.push(...(scenario.proveFromRequest?.(observation.symptom) ?? []));
    if (observation.faultProof.length === 0) throw new Error(`scenario ${scenario.id} proves no fault: give it fault() or proveFromRequest()`);
    if (scenario.doctor && !lacking)
      observation.doctor = { expected: expectedDoctorVerdict(scenario.doctor, observation.symptom), broken: await doctorOn(broken, ctx, 'broken') };
    observation.alongside = await broken.alongside();
    for (const remedy of broken.remedies) {
      const seen = await probeRemedy(remedy, await remedy.apply());
      observation.remedies.push(seen);
      if (observation.doctor && !observation.doctor.fixed && seen.resolved && remedy.source !== 'tried') {
        observation.doctor.fixed = { after: remedy.name, ...(await doctorOn(broken, ctx, 'fixed')) };
      }
    }
    return resultOf(scenario, stack.version, withScreenshots(observation, ctx), { durationMs: Date.now() - started });
  } catch (err) {
    const message = mask(err instanceof Error ? `${err.message}` : String(err));
    return resultOf(scenario, stack.version, withScreenshots(observation, ctx), {
      durationMs: Date.now() - started,
      unjudged: { kind: 'inconclusive', why: 'the scenario failed to run', reason: message, error: message },
    });
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
}

/**
 * A remedy's probes against the stack as it is now (after `applied`, its own apply's proof): it
 * resolves when every judged probe gives the expected outcome and every check holds.
 */
export async function probeRemedy(remedy: BoundRemedy, applied: Check[]): Promise<RemedyObservation> {
  const exchanges = await remedy.probe();
  const checks = [...applied, ...remedy.verify(exchanges)];
  const expect = remedy.expect ?? 'accepted';
  const judged = judgedOf(exchanges);
  const resolved = judged.length > 0 && judged.every((e) => e.outcome === expect) && checks.every((c) => c.ok);
  return { name: remedy.name, source: remedy.source, checks, exchanges, expect, resolved };
}

/** What a scenario's functions get: the stack, its primary n8n (whichever container that is now), a folder. */
export function scenarioContext(stack: StartedAuthStack, workdir: string, progress: (line: string) => void): ScenarioContext {
  return {
    version: stack.version,
    stack,
    get n8n() {
      return stack.primary;
    },
    startedAt: new Date(),
    workdir,
    progress,
    screenshots: [],
  };
}

/** The observation with the pictures the scenario took, if any. */
const withScreenshots = (observation: Observation, ctx: ScenarioContext): Observation =>
  ctx.screenshots.length ? { ...observation, screenshots: [...ctx.screenshots] } : observation;

/** Recomputes the verdict from a recorded observation: a report can be re-checked without n8n. */
export function judge(scenario: Pick<ScenarioInfo, 'predicts' | 'judge' | 'guide'>, version: string, observation: Observation) {
  const judgement = (scenario.judge ?? judgeByOutcome)(observation, scenario.predicts);
  return computeVerdict(version, observation, judgement, scenario.predicts, scenario.guide.section);
}

/**
 * A verdict not judged from the recording: the run did not go through (inconclusive, `why` in its
 * headline, with its `error`), or cannot run here (not runnable). `detail` is the summary's tail
 * when not the reason itself.
 */
export type Unjudged =
  | { kind: 'inconclusive'; why: string; reason: string; detail?: string; error: string }
  | { kind: 'not-runnable'; reason: string; detail?: string };

/**
 * The one way a `ScenarioResult` is made: the scenario's data, the version, the recording, and
 * its verdict, judged from the recording (`judge`) unless the run was `unjudged`.
 */
export function resultOf(
  scenario: Pick<AnyScenario, 'id' | 'family' | 'title' | 'guide' | 'predicts' | 'judge' | 'security' | 'refusalKeepsOut'>,
  version: string,
  observation: Observation,
  run: { durationMs: number; unjudged?: Unjudged },
): ScenarioResult {
  const base = {
    id: scenario.id,
    family: scenario.family,
    title: scenario.title,
    guide: scenario.guide,
    predicts: scenario.predicts,
    ...securityMarksOf(scenario),
    version,
    observation,
  };
  const { unjudged } = run;
  if (unjudged) {
    const headline = unjudged.kind === 'inconclusive' ? `inconclusive: ${unjudged.why}` : 'not runnable here';
    const summary = `n8n ${version}: ${headline}: ${unjudged.detail ?? unjudged.reason}`;
    const verdict = { kind: unjudged.kind, headline, summary, reasons: [unjudged.reason] };
    return { ...base, verdict, correctFixResolves: false, durationMs: run.durationMs, ...(unjudged.kind === 'inconclusive' ? { error: unjudged.error } : {}) };
  }
  const correct = observation.remedies.filter((r) => r.source === 'correct');
  return {
    ...base,
    verdict: judge(scenario, version, observation),
    correctFixResolves:
      correct.length > 0 ? correct.every((r) => r.resolved) : observation.remedies.filter((r) => r.source === 'guide').every((r) => r.resolved),
    durationMs: run.durationMs,
  };
}
