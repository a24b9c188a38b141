import type { DeployCheckRun } from './run-check.ts';
import { maskDeep, mask } from '../../base/secrets.ts';
import { junitXml, type JUnitCase } from '../../engine/report/junit-xml.ts';

export function toDeployCheckJson(run: DeployCheckRun, toolVersion: string): string {
  return `${JSON.stringify(maskDeep({ schema: 'n8n-authlab/check', schemaVersion: 1, tool: { name: 'n8n-authlab', version: toolVersion }, run }), null, 2)}\n`;
}

/** A suite for the deployment, a case per check: a failed check is a failure a pipeline gates on. */
export function toDeployCheckJUnit(run: DeployCheckRun): string {
  const classname = `authlab-check.${run.service}`;
  const cases: JUnitCase[] = run.checks.map((c) => {
    const how = c.how === 'run' ? 'run on the reproduced stack' : 'read from the files (not run)';
    const output = [`guide section ${c.section}; proven by ${c.scenarios.join(', ')}; ${how}`, ...c.evidence].join('\n');
    const failure = c.passed ? {} : { failure: { message: c.fix ?? 'failed', detail: output } };
    return { classname, name: `${c.id}: ${c.title}`, ...failure, output };
  });
  const skipped = run.skipped.map((s) => ({ classname, name: s.split(':')[0]!, skipped: s }));
  return junitXml('n8n-authlab check', [{ name: `${run.compose} (n8n ${run.version})`, cases: [...cases, ...skipped] }]);
}

/** A line per check for people: PASS/FAIL, the evidence, the fix. */
export function describeDeployCheck(run: DeployCheckRun): string[] {
  const lines: string[] = [];
  for (const c of run.checks) {
    if (c.security) lines.push(`SECURITY  ${c.id}: lets in ${c.security}`);
    lines.push(`${c.passed ? 'PASS' : 'FAIL'}  ${c.id}: ${c.title} [guide ${c.section}; ${c.how === 'run' ? 'run' : 'read from the file'}]`);
    for (const e of c.evidence) lines.push(`        ${e}`);
    if (c.fix) lines.push(`        fix: ${c.fix}`);
  }
  for (const s of run.skipped) lines.push(`skip  ${s}`);
  for (const n of run.notes) lines.push(`note  ${n}`);
  return lines.map(mask);
}
