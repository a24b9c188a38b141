import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type N8nImage, resolveN8nImage } from '../../parts/images/n8n-image.ts';
import { assertServedN8nVersion } from '../../parts/images/n8n-versions.ts';
import type { ImageOptions } from '../../parts/images/options.ts';
import { resolveServiceImage } from '../../parts/images/service-images.ts';
import { scenarioContext } from '../../engine/runner.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { deployBearerWorkflow, type WebhookWorkflow } from '../../core/workflows.ts';
import { startAuthStack, type StartedAuthStack } from '../../parts/stack/auth-stack.ts';
import { type UpgradeStep, upgradeStep } from './upgrade-ledger.ts';
import { probeVersion, startAndProbe, type VersionProbe } from './upgrade-probe.ts';

export type { UpgradeStep } from './upgrade-ledger.ts';
export type { ProbeCheck, VersionProbe } from './upgrade-probe.ts';

export const UPGRADE_DATABASES = ['sqlite', 'postgres'] as const;
/** n8n's database: SQLite in n8n's data volume (which every step keeps), or PostgreSQL beside it. */
export type UpgradeDatabase = (typeof UPGRADE_DATABASES)[number];

export interface UpgradeResult {
  database: UpgradeDatabase;
  /** The versions in the order n8n was upgraded. */
  path: string[];
  from: string;
  to: string;
  /** One per version reached; the first made the owner, the key, the credential and the workflow. */
  steps: UpgradeStep[];
  /** Versions of the path never started: a step before did not start over the data. */
  notReached: string[];
  /** Back to the version before the last step, over the data it left (reported, not required to pass). */
  downgrade?: UpgradeStep;
  /** Every step started and its key, webhook, workflow and credential work. */
  passed: boolean;
  startedAt: string;
  finishedAt: string;
}

export interface UpgradePathOptions {
  path: string[];
  /** The path's images, resolved by the caller (`authlab upgrade`); default: each version checked and resolved here. */
  n8n?: readonly N8nImage[];
  databases: readonly UpgradeDatabase[];
  images: ImageOptions;
  tool?: string;
  progress: (line: string) => void;
}

/**
 * The upgrade path on each database, side by side: on the first version, the owner, an API key, a
 * credential and a published workflow that uses it (run by its production webhook); then n8n
 * replaced by each next version over the same database and data volume, every step probed the
 * same way and compared with the step before; then back one version (the downgrade, reported).
 */
export async function runUpgradePaths(opts: UpgradePathOptions): Promise<UpgradeResult[]> {
  const images = new Map<string, string>(opts.n8n?.map((n) => [n.version, n.image]));
  for (const v of opts.path) if (!images.has(v)) await assertServedN8nVersion(v);
  for (const v of opts.path) if (!images.has(v)) images.set(v, await resolveN8nImage(v, opts.images));
  const postgres = opts.databases.includes('postgres') ? await resolveServiceImage('postgres', opts.images) : undefined;
  const runs = await Promise.allSettled(
    opts.databases.map((database) => runOnDatabase({ ...opts, database, images, postgres, progress: (l) => opts.progress(`[${database}] ${l}`) })),
  );
  const failed = runs.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return runs.map((r) => (r as PromiseFulfilledResult<UpgradeResult>).value);
}

/** The two-version check (`--from`, `--to`): the path [from, to] on one database (PostgreSQL unless told). */
export async function runUpgradeCheck(opts: {
  from: string;
  to: string;
  database?: UpgradeDatabase;
  images: ImageOptions;
  progress: (line: string) => void;
}): Promise<UpgradeResult> {
  const [result] = await runUpgradePaths({
    path: [opts.from, opts.to],
    databases: [opts.database ?? 'postgres'],
    images: opts.images,
    progress: opts.progress,
  });
  return result!;
}

interface DatabaseRun {
  path: string[];
  database: UpgradeDatabase;
  images: Map<string, string>;
  postgres: string | undefined;
  tool?: string;
  progress: (line: string) => void;
}

async function runOnDatabase(run: DatabaseRun): Promise<UpgradeResult> {
  const startedAt = new Date().toISOString();
  const [first, ...next] = run.path as [string, ...string[]];
  const imageOf = (v: string) => run.images.get(v)!;
  const workdir = await mkdtemp(join(tmpdir(), 'authlab-upgrade-'));
  let stack: StartedAuthStack | undefined;
  try {
    run.progress(`step 1/${run.path.length}: n8n ${first}: the owner, an API key, a credential and a published workflow`);
    stack = await startAuthStack(
      { name: `upgrade-${run.database}`, database: run.database, providers: ['bearer-api'] },
      { version: first, image: imageOf(first), ...(run.postgres ? { serviceImages: { postgres: run.postgres } } : {}), progress: run.progress },
    );
    const ctx = scenarioContext(stack, workdir, run.progress);
    const workflow = await deployBearerWorkflow(ctx);
    const steps = [step(run, imageOf(first), await probeVersion(ctx, first, workflow), startedAt)];
    run.progress(stepLine(steps[0]!, undefined));
    for (const [i, version] of next.entries()) {
      const before = steps.at(-1)!;
      if (before.probe.startError) break;
      run.progress(`step ${i + 2}/${run.path.length}: n8n ${version} replaces n8n ${before.probe.version} over the same data`);
      steps.push(await nextStep(ctx, run, version, workflow, before));
    }
    const downgrade = await downgradeStep(ctx, run, workflow, steps);
    const passed = steps.length === run.path.length && steps.every((s) => s.probe.checks.every((c) => c.ok));
    return {
      database: run.database,
      path: run.path,
      from: first,
      to: run.path.at(-1)!,
      steps,
      notReached: run.path.slice(steps.length),
      ...(downgrade ? { downgrade } : {}),
      passed,
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    await stack?.stop();
    await rm(workdir, { recursive: true, force: true });
  }
}

/** Starts `version` over the data, probes it and compares it with the step before. */
async function nextStep(ctx: ScenarioContext, run: DatabaseRun, version: string, workflow: WebhookWorkflow, before: UpgradeStep): Promise<UpgradeStep> {
  const startedAt = new Date().toISOString();
  const image = run.images.get(version)!;
  const s = step(run, image, await startAndProbe(ctx, version, image, workflow), startedAt, before);
  run.progress(stepLine(s, before));
  return s;
}

/** Back to the version before the last step, over the data the last step left. */
async function downgradeStep(ctx: ScenarioContext, run: DatabaseRun, workflow: WebhookWorkflow, steps: UpgradeStep[]): Promise<UpgradeStep | undefined> {
  const [previous, last] = [steps.at(-2), steps.at(-1)];
  if (!previous || !last) return undefined;
  run.progress(`downgrade (reported): n8n ${previous.probe.version} over the data n8n ${last.probe.version} left`);
  return nextStep(ctx, run, previous.probe.version, workflow, last);
}

function step(run: DatabaseRun, image: string, probe: VersionProbe, startedAt: string, before?: UpgradeStep): UpgradeStep {
  const meta = { first: run.path[0]!, database: run.database, image, tool: run.tool ?? 'n8n-authlab', startedAt, finishedAt: new Date().toISOString() };
  return upgradeStep(probe, meta, before);
}

/** A step's progress line: its checks, or why it has none. */
function stepLine(s: UpgradeStep, before: UpgradeStep | undefined): string {
  const ok = s.probe.checks.filter((c) => c.ok).length;
  const checks = s.probe.startError ? `did not start: ${s.probe.startError}` : `${ok} of ${s.probe.checks.length} checks ok`;
  return `n8n ${s.probe.version}: ${checks}${before ? `; ${s.changes.length} change(s) from n8n ${before.probe.version}` : ''}`;
}
