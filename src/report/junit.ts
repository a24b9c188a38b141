import { answerLines, evidenceLines } from '../scenarios/verdict.ts';
import type { CatalogueRun } from '../scenarios/plan.ts';
import type { ScenarioResult } from '../scenarios/types.ts';
import { mask } from '../secrets.ts';
import { doctorDisagreement } from '../doctor/scenario-doctor.ts';

export function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Why a result fails CI: it could not run, its fault was not shown, the verified fix did not fix it, or the doctor named the wrong mode. */
export function failureOf(r: ScenarioResult): string | undefined {
  if (r.verdict.kind === 'not-runnable') return undefined;
  if (r.error) return r.error;
  if (r.verdict.kind === 'inconclusive') return r.verdict.summary;
  if (!r.correctFixResolves) return 'the fix this project verified did not resolve the fault';
  return doctorDisagreement(r.observation);
}

/**
 * JUnit XML: a suite per version and family, a case per claim. What n8n does is a finding, not a
 * failure (a guide claim n8n does not bear out passes, with the headline and answers in its output);
 * a case fails only where the project is at fault.
 */
export function toJUnit(run: CatalogueRun): string {
  const suites = new Map<string, ScenarioResult[]>();
  for (const r of run.results) {
    const key = `n8n ${r.version} / ${r.family}`;
    suites.set(key, [...(suites.get(key) ?? []), r]);
  }
  const body = [...suites].map(([name, results]) => {
    const failures = results.filter((r) => failureOf(r) !== undefined).length;
    const time = results.reduce((t, r) => t + r.durationMs, 0) / 1000;
    const cases = results.map((r) => {
      const failure = failureOf(r);
      const out = [r.verdict.summary, ...answerLines(r.verdict.answers), ...evidenceLines(r.observation)].join('\n');
      return (
        `    <testcase classname="${xml(`n8n-${r.version}.${r.family}`)}" name="${xml(`[${r.guide.section}] ${r.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}">\n` +
        (failure ? `      <failure message="${xml(mask(failure.split('\n')[0]!))}">${xml(mask(failure))}</failure>\n` : '') +
        (r.verdict.kind === 'not-runnable' ? `      <skipped message="${xml(mask(r.verdict.summary))}"/>\n` : '') +
        `      <system-out>${xml(mask(out))}</system-out>\n` +
        `    </testcase>`
      );
    });
    return `  <testsuite name="${xml(name)}" tests="${results.length}" failures="${failures}" errors="0" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const total = run.results.length;
  const failed = run.results.filter((r) => failureOf(r) !== undefined).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="n8n-authlab" tests="${total}" failures="${failed}">\n${body.join('\n')}\n</testsuites>\n`;
}
