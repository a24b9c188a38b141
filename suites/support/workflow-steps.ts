import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A GitHub Actions step as the recipe writes it. */
export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

export interface Workflow {
  env: Record<string, string>;
  steps: WorkflowStep[];
}

/** The recipe's one job: its workflow-level env and its steps. */
export function readWorkflow(file: string): Workflow {
  const doc = parse(readFileSync(file, 'utf8')) as {
    env?: Record<string, string>;
    jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }>;
  };
  const [job, ...more] = Object.values(doc.jobs);
  if (!job || more.length) throw new Error(`${file}: expected one job`);
  return { env: { ...doc.env, ...job.env }, steps: job.steps };
}

export interface StepRun {
  step: WorkflowStep;
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/**
 * `${{ steps.<id>.outputs.<name> }}`, the only expression the recipe's run steps may use (an unknown
 * one fails the test, so the recipe cannot come to depend on something this runner does not do).
 */
function evaluate(value: string, outputs: Record<string, Record<string, string>>): string {
  return String(value).replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (!m) throw new Error(`the recipe uses \${{ ${expr} }}, which the test's runner does not evaluate`);
    return outputs[m[1]!]?.[m[2]!] ?? '';
  });
}

/** Parses `name=value` lines of a step's $GITHUB_OUTPUT file. */
function outputsOf(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  return Object.fromEntries(text.split('\n').flatMap((l) => (l.includes('=') ? [[l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]] : [])));
}

/** Runs a script as GitHub's runner runs a `run:` step on Linux. */
export function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Omit<StepRun, 'step' | 'outputs'>> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs the workflow's `run:` steps in `cwd`, in order, as GitHub's runner would: the workflow's env
 * with `overrides` over it, each step's env evaluated, $GITHUB_OUTPUT read back after each step.
 * `uses:` steps are skipped (checkout and setup-node: the folder and this Node are there already);
 * the caller checks what the publishing ones name. Stops at the first step that fails.
 */
export async function runWorkflowSteps(
  workflow: Workflow,
  cwd: string,
  runnerEnv: { RUNNER_TEMP: string; GITHUB_BASE_REF?: string },
  overrides: Record<string, string> = {},
  only?: (step: WorkflowStep) => boolean,
): Promise<StepRun[]> {
  const outputs: Record<string, Record<string, string>> = {};
  const runs: StepRun[] = [];
  for (const [i, step] of workflow.steps.entries()) {
    if (!step.run || (only && !only(step))) continue;
    const outputFile = join(runnerEnv.RUNNER_TEMP, `output-${i}`);
    writeFileSync(outputFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(v, outputs)]));
    const env = { ...process.env, ...workflow.env, ...overrides, ...runnerEnv, ...stepEnv, GITHUB_OUTPUT: outputFile, CI: 'true' };
    const done = await bash(step.run, cwd, env);
    const run = { step, ...done, outputs: outputsOf(outputFile) };
    appendFileSync(join(runnerEnv.RUNNER_TEMP, 'steps.log'), `## ${step.name ?? step.run}\n${done.stdout}${done.stderr}\n`);
    if (step.id) outputs[step.id] = run.outputs;
    runs.push(run);
    if (done.code !== 0) break;
  }
  return runs;
}
