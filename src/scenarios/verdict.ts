import { describeExchange, judgedOf, type Exchange } from '../client/exchange.ts';
import type { Judgement, Observation, Prediction, Verdict } from './types.ts';
import { doctorSaid } from '../doctor/scenario-doctor.ts';

function says(e: Exchange, text: string): boolean {
  const haystack = `${e.response?.body ?? ''}\n${e.error ?? ''}\n${(e.n8nLog ?? []).join('\n')}`.toLowerCase();
  return haystack.includes(text.toLowerCase());
}

function answered(e: Exchange): string {
  return e.response ? `${e.response.status} ${e.response.body.slice(0, 100)}` : `nothing (not sent: ${e.error ?? 'unknown'})`;
}

/** The default checker: every symptom probe gave the predicted outcome (and text, when the guide quotes one). */
export function judgeByOutcome(obs: Observation, predicts: Prediction): Judgement {
  const reasons: string[] = [];
  const judged = judgedOf(obs.symptom);
  for (const e of judged) {
    if (e.outcome !== predicts.outcome) reasons.push(`${e.label}: the guide predicts ${predicts.outcome}, the probe got ${answered(e)}`);
    else if (predicts.says && !says(e, predicts.says)) {
      const logged = e.n8nLog ? `; n8n logged ${e.n8nLog.length} line(s) during the probe` : '';
      reasons.push(`${e.label}: ${e.outcome} as predicted, but neither the answer nor n8n's log says "${predicts.says}" (answer: ${answered(e)}${logged})`);
    }
  }
  return { symptomMatches: reasons.length === 0 && judged.length > 0, reasons };
}

/**
 * The verdict, from the recorded observation alone: confirmed when n8n behaved as the guide
 * predicts and the guide's fix resolved it; refuted otherwise; inconclusive when the fault
 * could not be shown to apply.
 */
export function computeVerdict(version: string, obs: Observation, judgement: Judgement): Verdict {
  const failedProof = obs.faultProof.filter((c) => !c.ok);
  if (failedProof.length > 0) {
    const reasons = failedProof.map((c) => `fault not shown to apply: ${c.what} (${c.evidence})`);
    return { kind: 'inconclusive', summary: `inconclusive on n8n ${version}: ${reasons[0]}`, reasons };
  }
  const guideFixes = obs.remedies.filter((r) => r.source === 'guide');
  const failedFixes = guideFixes
    .filter((r) => !r.resolved)
    .map((r) => `the guide's fix "${r.name}" did not resolve it: ${judgedOf(r.exchanges).map(answered).join('; ')}`);
  const reasons = [...judgement.reasons, ...failedFixes];
  if (judgement.symptomMatches && failedFixes.length === 0) {
    const seen = judgedOf(obs.symptom).map(answered).join('; ');
    const fixed = guideFixes.length ? `; after "${guideFixes.map((r) => r.name).join('", "')}": ${guideFixes.flatMap((r) => judgedOf(r.exchanges).map(answered)).join('; ')}` : '';
    return { kind: 'confirmed', summary: `confirmed on n8n ${version}: ${seen}${fixed}`, reasons: [] };
  }
  return { kind: 'refuted', summary: `refuted on n8n ${version}: ${reasons[0] ?? 'no symptom was observed'}`, reasons };
}

export function evidenceLines(obs: Observation): string[] {
  return [
    ...obs.faultProof.map((c) => `${c.ok ? 'proof' : 'PROOF FAILED'}: ${c.what}: ${c.evidence}`),
    ...obs.symptom.map((e) => `symptom: ${describeExchange(e)}`),
    ...obs.alongside.map((e) => `alongside: ${describeExchange(e)}`),
    ...obs.remedies.flatMap((r) => [
      ...r.checks.filter((c) => !c.ok).map((c) => `${r.source} fix "${r.name}": check failed: ${c.what}: ${c.evidence}`),
      ...r.exchanges.map((e) => `${r.source} fix "${r.name}"${r.resolved ? '' : ' (did not resolve)'}: ${describeExchange(e)}`),
    ]),
    ...(obs.doctor ? [`doctor on the broken stack (expected ${obs.doctor.expected}): ${doctorSaid(obs.doctor.broken)}`] : []),
    ...(obs.doctor?.fixed ? [`doctor after "${obs.doctor.fixed.after}": ${doctorSaid(obs.doctor.fixed)}`] : []),
  ];
}
