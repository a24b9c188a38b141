import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bash, type WorkflowStep } from './workflow-steps.ts';

/** A job of this repository's workflows (.github/workflows/), as far as the test's runner reads it. */
export interface CiJob {
  needs?: string | string[];
  if?: string;
  env?: Record<string, string>;
  strategy?: { matrix?: Record<string, Array<string | number>> };
  steps: Array<WorkflowStep & { if?: string }>;
}

export function readJobs(file: string): Record<string, CiJob> {
  return (parse(readFileSync(file, 'utf8')) as { jobs: Record<string, CiJob> }).jobs;
}

/** Every combination of a job's matrix (one empty entry when it has none). */
export function matrixOf(job: CiJob): Array<Record<string, string>> {
  let entries: Array<Record<string, string>> = [{}];
  for (const [name, values] of Object.entries(job.strategy?.matrix ?? {})) entries = entries.flatMap((e) => values.map((v) => ({ ...e, [name]: String(v) })));
  return entries;
}

export interface StepResult {
  step: WorkflowStep;
  code: number | null;
  output: string;
}

/** What the runner shares between jobs: the workspace they run in, the artifacts they upload, the summary and env of the run. */
export interface CiRun {
  workspace: string;
  artifacts: string;
  /** The variables the test sets beside the workflow's (a narrower selection, a run id). */
  env: Record<string, string>;
  /** Each step's summary ($GITHUB_STEP_SUMMARY) is appended here. */
  summary: string;
}

/**
 * `${{ matrix.<name> }}` and `${{ steps.<id>.outputs.<name> }}`: the only expressions the workflows
 * may use where the test runs them (any other fails the test rather than go unchecked).
 */
function expand(text: string, matrix: Record<string, string>, outputs: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^matrix\.([\w-]+)$/.exec(expr);
    const o = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (m && matrix[m[1]!] !== undefined) return matrix[m[1]!]!;
    if (o) return outputs[o[1]!]?.[o[2]!] ?? '';
    throw new Error(`\${{ ${expr} }} is not an expression the test's runner evaluates`);
  });
}

const expandAll = (values: Record<string, string> | undefined, matrix: Record<string, string>, outputs: Record<string, Record<string, string>>) =>
  Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, expand(String(v), matrix, outputs)]));

/**
 * Runs one matrix entry of a job as GitHub's runner would, in the run's workspace: checkout and
 * setup-node do nothing (the workspace and this Node are there), upload-artifact copies its paths
 * into the run's artifacts, download-artifact copies the artifacts its pattern matches into its
 * path, one folder each; a `run:` step is bash with the job's and the step's env. After a failed
 * step only the steps with `if: always()` run.
 */
export async function runJob(job: CiJob, matrix: Record<string, string>, ci: CiRun): Promise<StepResult[]> {
  const outputs: Record<string, Record<string, string>> = {};
  const results: StepResult[] = [];
  for (const [i, step] of job.steps.entries()) {
    if (step.if !== undefined && step.if !== 'always()') throw new Error(`if: ${step.if} is not a condition the test's runner evaluates`);
    if (results.some((r) => r.code !== 0) && step.if !== 'always()') continue;
    const uses = step.uses?.split('@')[0];
    const args = expandAll(step.with, matrix, outputs);
    if (uses === 'actions/checkout' || uses === 'actions/setup-node') continue;
    if (uses === 'actions/upload-artifact') {
      const paths = args.path!.split('\n').filter(Boolean);
      const missing = paths.filter((p) => !existsSync(join(ci.workspace, p)));
      const into = join(ci.artifacts, args.name!);
      for (const p of paths.filter((q) => !missing.includes(q))) cpSync(join(ci.workspace, p), paths.length === 1 ? into : join(into, p), { recursive: true });
      results.push({ step, code: missing.length ? 1 : 0, output: missing.length ? `no such path: ${missing.join(', ')}` : `uploaded ${args.name}` });
      continue;
    }
    if (uses === 'actions/download-artifact') {
      const pattern = new RegExp(`^${(args.pattern ?? '*').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      for (const name of readdirSync(ci.artifacts).filter((n) => pattern.test(n)))
        cpSync(join(ci.artifacts, name), join(ci.workspace, args.path ?? '.', name), { recursive: true });
      results.push({ step, code: 0, output: 'downloaded' });
      continue;
    }
    if (!step.run) throw new Error(`${step.uses} is not a step the test's runner knows`);
    const files = { GITHUB_OUTPUT: join(ci.workspace, `.output-${i}`), GITHUB_STEP_SUMMARY: join(ci.workspace, `.summary-${i}`) };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const env = { ...process.env, ...expandAll(job.env, matrix, outputs), ...expandAll(step.env, matrix, outputs), ...ci.env, ...files, CI: 'true' };
    const done = await bash(expand(step.run, matrix, outputs), ci.workspace, env);
    if (step.id)
      outputs[step.id] = Object.fromEntries(
        readFileSync(files.GITHUB_OUTPUT, 'utf8')
          .split('\n')
          .flatMap((l) => (/^[\w-]+=/.test(l) ? [[l.split('=')[0]!, l.slice(l.indexOf('=') + 1)]] : [])),
      );
    writeFileSync(ci.summary, readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'), { flag: 'a' });
    results.push({ step, code: done.code, output: `${done.stdout}${done.stderr}` });
  }
  return results;
}

/** A workspace where the steps find `scripts/ci/` as in a checkout (a link: the scripts find the rest of the checkout through it). */
export function workspaceOf(repo: string, dir: string): CiRun['workspace'] {
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(repo, 'scripts'), join(dir, 'scripts'));
  return dir;
}
