import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { FAMILY_IDS } from '../src/families/registry.ts';
import { DEFAULT_N8N_VERSIONS } from '../src/parts/images/n8n-versions.ts';
import type { Ledger } from '../src/engine/report/ledger.ts';
import { type CiJob, type CiRun, matrixOf, readJobs, runJob, type StepResult, workspaceOf } from './support/ci-jobs.ts';
import { leftBehind } from './support/cli.ts';
import { familyShares, GUIDE_SUITES_FILE } from './support/sequencer.ts';
import { testVersions } from './support/versions.ts';

/**
 * This repository's workflows (.github/workflows/) as their jobs run: every step calls a script of
 * scripts/ci/, and those scripts run here as the steps do, on a small selection the test sets
 * through the scripts' env (the workflows run everything): the catalogue job's two shards one after
 * the other, the last job's merge and diff into a summary file, and the scheduled job on the test
 * version, whose unsharded run the merged ledger must equal, verdict for verdict.
 */
const REPO = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS = join(REPO, '.github/workflows');
const workflows = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));
const jobs: Record<string, CiJob> = Object.assign({}, ...workflows.map((f) => readJobs(join(WORKFLOWS, f))));
/** Two stack groups of the test version: the default stack (two scenarios, never split) and one of its own. */
const SELECTION = 'headers.missing-header,headers.nbsp,headers.n8n-api-key-env';
const version = testVersions().at(-1)!;

const runLines = Object.entries(jobs).flatMap(([name, job]) => job.steps.filter((s) => s.run).map((s) => [name, s.run!.trim()] as const));

describe("the workflows' steps", () => {
  test.each(runLines)('%s: `%s` calls a script of scripts/ci that exists', async (_job, run) => {
    const m = /^bash (scripts\/ci\/[\w-]+\.sh)(?: [\w${}./ -]+)?$/.exec(run);
    expect(m, 'a run: step is `bash scripts/ci/<script>.sh [args]`, its logic in the script').not.toBeNull();
    expect(existsSync(join(REPO, m![1]!)), `${m![1]} is missing`).toBe(true);
    await promisify(execFile)('bash', ['-n', join(REPO, m![1]!)]);
  });

  test("the catalogue's matrix is the default versions; the test shards cover every test file once and the guide suites' families once", async () => {
    expect(jobs.catalogue!.strategy!.matrix!.n8n).toEqual([...DEFAULT_N8N_VERSIONS]);
    const testRun = jobs.tests!.steps.find((s) => s.run?.includes('test-shard.sh'))!.run!;
    const count = Number(/\/(\d+)$/.exec(testRun.trim())![1]);
    expect(jobs.tests!.strategy!.matrix!.shard).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
    const list = async (...args: string[]) =>
      (await promisify(execFile)(process.execPath, [join(REPO, 'node_modules/vitest/vitest.mjs'), 'list', '--filesOnly', ...args], { cwd: REPO, env })).stdout
        .split('\n')
        .filter(Boolean);
    const shards = await Promise.all(Array.from({ length: count }, (_, i) => list('--shard', `${i + 1}/${count}`)));
    // The guide suites' file goes to each shard that has a share of the families (the engine runs only that share).
    const shares = familyShares(count);
    for (const [i, files] of shards.entries()) {
      expect(files.length).toBeGreaterThan(0);
      expect(files.includes(GUIDE_SUITES_FILE), `shard ${i + 1}/${count}: ${shares[i]!.join(', ') || 'no family'}`).toBe(shares[i]!.length > 0);
    }
    expect(shares.flat().sort(), 'each family in one shard').toEqual([...FAMILY_IDS].sort());
    const others = (files: string[]) => files.filter((f) => f !== GUIDE_SUITES_FILE);
    expect(others(shards.flat()).sort()).toEqual(others(await list()).sort());
  });
});

/** A job's steps, each exit 0 (the failing step's output in the message). */
function expectPassed(results: StepResult[], what: string): void {
  const failed = results.find((r) => r.code !== 0);
  expect(failed && `${what}: ${failed.step.run ?? failed.step.uses} exited ${failed.code}\n${failed.output.slice(-3000)}`).toBeUndefined();
}

const verdicts = (ledger: Ledger) =>
  Object.fromEntries(
    ledger.rows.flatMap((r) => r.cells.filter((c) => c.verdict !== 'missing').map((c) => [`${r.id}@${c.version}`, `${c.verdict}: ${c.headline}`])),
  );
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('the catalogue in shards, merged, as one unsharded run', () => {
  test(`two shards of ${SELECTION} on n8n ${version}, merged and diffed, equal the unsharded run`, { timeout: 30 * 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authlab-ci-'));
    const runId = `ci-workflow-${Date.now()}`;
    const ci: CiRun = {
      workspace: workspaceOf(REPO, join(dir, 'workspace')),
      artifacts: join(dir, 'artifacts'),
      env: { AUTHLAB_ONLY: SELECTION, AUTHLAB_RUN_ID: runId },
      summary: join(dir, 'summary.md'),
    };
    const entries = matrixOf(jobs.catalogue!).filter((m) => m.n8n === version);
    expect(entries.map((m) => m.shard)).toEqual(['1', '2']);
    for (const matrix of entries) {
      expectPassed(await runJob(jobs.catalogue!, matrix, ci), `catalogue shard ${matrix.shard}`);
      expect(await leftBehind(runId), `shard ${matrix.shard} left containers, networks or volumes`).toEqual({ containers: [], networks: [], volumes: [] });
    }
    const shards = entries.map((m) => readJson<Ledger>(join(ci.artifacts, `catalogue-${version}-${m.shard}`, 'ledger.json')));
    expect(shards.map((l) => `${l.shard?.index}/${l.shard?.count}`)).toEqual(['1/2', '2/2']);
    const groups = shards.flatMap((l) => l.shard!.groups);
    expect(new Set(groups).size).toBe(groups.length);
    expect(groups).toHaveLength(shards[0]!.shard!.ofGroups);
    for (const l of shards) expect(l.rows.length, 'a shard with nothing to run').toBeGreaterThan(0);

    expectPassed(await runJob(jobs.ledger!, {}, ci), 'ledger');
    const merged = readJson<Ledger>(join(ci.workspace, 'merged/ledger.json'));
    expect(merged.shard).toBeUndefined();
    expect(readFileSync(ci.summary, 'utf8')).toMatch(/^## What changed against the published ledger\n[\s\S]*```\n/);

    // The scheduled job on the test version (not the newest release: its image is not built here) is the unsharded run.
    const newest = await runJob(jobs.newest!, {}, { ...ci, env: { ...ci.env, AUTHLAB_N8N_LINE: version } });
    expectPassed(newest, 'newest');
    expect(await leftBehind(runId)).toEqual({ containers: [], networks: [], volumes: [] });
    const whole = readJson<Ledger>(join(ci.workspace, 'reports/newest/ledger.json'));
    expect(whole.versions).toEqual([version]);
    expect(Object.keys(verdicts(whole))).toHaveLength(SELECTION.split(',').length);
    expect(verdicts(merged)).toEqual(verdicts(whole));
    expect(readFileSync(ci.summary, 'utf8').match(/^## What changed/gm)).toHaveLength(2);
    rmSync(dir, { recursive: true, force: true });
  });
});
