import type { DeployCheckRun } from '../check/run-check.ts';
import { maskDeep, mask } from '../secrets.ts';
import { xml } from './junit.ts';

export function toDeployCheckJson(run: DeployCheckRun, toolVersion: string): string {
  return `${JSON.stringify(maskDeep({ schema: 'n8n-authlab/check', schemaVersion: 1, tool: { name: 'n8n-authlab', version: toolVersion }, run }), null, 2)}\n`;
}

/** A suite for the deployment, a case per check: a failed check is a failure a pipeline gates on. */
export function toDeployCheckJUnit(run: DeployCheckRun): string {
  const failures = run.checks.filter((c) => !c.passed).length;
  const cases = run.checks.map((c) => {
    const out = mask([`guide section ${c.section}; proven by ${c.scenarios.join(', ')}; ${c.how === 'run' ? 'run on the reproduced stack' : 'read from the files'}`, ...c.evidence].join('\n'));
    return (
      `    <testcase classname="${xml(`authlab-check.${run.service}`)}" name="${xml(`${c.id}: ${c.title}`)}">\n` +
      (c.passed ? '' : `      <failure message="${xml(mask(c.fix ?? 'failed'))}">${xml(out)}</failure>\n`) +
      `      <system-out>${xml(out)}</system-out>\n    </testcase>`
    );
  });
  const skipped = run.skipped.map((s) => `    <testcase classname="${xml(`authlab-check.${run.service}`)}" name="${xml(s.split(':')[0]!)}"><skipped message="${xml(s)}"/></testcase>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="n8n-authlab check" tests="${cases.length + skipped.length}" failures="${failures}">\n  <testsuite name="${xml(`${run.compose} (n8n ${run.version})`)}" tests="${cases.length + skipped.length}" failures="${failures}" skipped="${skipped.length}">\n${[...cases, ...skipped].join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

/** A line per check for people: PASS/FAIL, the evidence, the fix. */
export function describeDeployCheck(run: DeployCheckRun): string[] {
  const lines: string[] = [];
  for (const c of run.checks) {
    lines.push(`${c.passed ? 'PASS' : 'FAIL'}  ${c.id}: ${c.title} [guide ${c.section}; ${c.how === 'run' ? 'run' : 'read from the file'}]`);
    for (const e of c.evidence) lines.push(`        ${e}`);
    if (c.fix) lines.push(`        fix: ${c.fix}`);
  }
  for (const s of run.skipped) lines.push(`skip  ${s}`);
  return lines.map(mask);
}
