import { describeExchange } from '../parts/client/exchange.ts';
import type { Diagnosis, DoctorReport } from '../parts/diagnosis/doctor.ts';
import { targetName, type Unreachable, type UnreachableCause } from '../parts/diagnosis/reachability.ts';
import type { DoctorVerdict } from '../core/types.ts';

/** doctor/verified-fixes.ts's verifiedFixes, which reads the catalogue. */
export type FixesOf = (mode: DoctorVerdict) => Array<{ scenario: string; fix: string }>;

const CAUSE_WORDS: Record<UnreachableCause, string> = {
  'connection-refused': 'connection refused',
  'unknown-host': 'unknown host',
  tls: 'no TLS connection',
  timeout: 'no answer in time',
  'no-http-answer': 'no HTTP answer',
};

/** The modes an UNREACHABLE block tells instead of a FOUND block. */
const UNREACHABLE_MODES = new Set<string>(['n8n-unreachable', 'proxy-unreachable']);

/** Where n8n may be down rather than misaddressed: the fixes the catalogue verified for an n8n that refused to start apply. */
const N8N_MAY_BE_DOWN = new Set<UnreachableCause>(['connection-refused', 'timeout']);

function unreachableLines(u: Unreachable, fixesOf: FixesOf): string[] {
  const lines = [`UNREACHABLE ${u.target} at ${u.url}: ${CAUSE_WORDS[u.cause]} (${u.error})`, ...u.nextSteps.map((s) => `        next: ${s}`)];
  if (u.target === 'n8n' && N8N_MAY_BE_DOWN.has(u.cause))
    for (const f of fixesOf('n8n-unreachable')) lines.push(`        if the log shows n8n refusing to start, verified by ${f.scenario}: ${f.fix}`);
  return lines;
}

function foundLines(d: Diagnosis, fixesOf: FixesOf): string[] {
  return [
    `FOUND   ${d.mode}: ${d.title}`,
    `        what it means: ${d.means}`,
    ...d.evidence.map((e) => `        evidence: ${e}`),
    ...fixesOf(d.mode).map((f) => `        fix (verified by ${f.scenario}): ${f.fix}`),
  ];
}

function closingLine(report: DoctorReport): string {
  if (report.unreachable.length)
    return `${report.unreachable.map((u) => targetName(u.target)).join(' and ')} did not answer: reach it first, then run the doctor again`;
  return report.healthy ? 'healthy: no failure mode found' : `${report.diagnoses.length} failure mode(s) found; fix the first one first`;
}

/** The report for people: what did not answer and what to do, each failure mode with its evidence and the fixes the catalogue verified. */
export function describeDoctorReport(report: DoctorReport, fixesOf: FixesOf, verbose = false): string[] {
  return [
    ...report.notes.map((n) => `ok      ${n}`),
    ...report.unreachable.flatMap((u) => unreachableLines(u, fixesOf)),
    ...report.diagnoses.filter((d) => !UNREACHABLE_MODES.has(d.mode)).flatMap((d) => foundLines(d, fixesOf)),
    ...report.unchecked.map((u) => `UNCHECKED ${u}`),
    ...(verbose ? report.probes.map((p) => `probe   ${describeExchange(p)}`) : []),
    closingLine(report),
  ];
}
