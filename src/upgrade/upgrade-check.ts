import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exchange } from '../client/exchange.ts';
import { resolveN8nImage } from '../images/n8n-image.ts';
import { assertServedN8nVersion } from '../images/n8n-versions.ts';
import type { ImageOptions } from '../images/options.ts';
import { resolveServiceImage } from '../images/service-images.ts';
import { check, sendKey } from '../scenarios/probes.ts';
import { scenarioContext } from '../scenarios/runner.ts';
import type { Check, ScenarioContext } from '../scenarios/types.ts';
import { deployBearerWorkflow, executionError, runWebhookWorkflow, type WebhookWorkflow, waitForWebhook } from '../scenarios/workflows.ts';
import { startAuthStack, type StackSpec, type StartedAuthStack } from '../stack/auth-stack.ts';

/** PostgreSQL, as most production upgrades run, and the mock API the credential workflow calls. */
const UPGRADE_STACK: StackSpec = { name: 'upgrade', database: 'postgres', providers: ['bearer-api'] };

/** What the same three things (the API key, the workflow, the credential it uses) did on one version. */
export interface VersionProbe {
  version: string;
  /** Set when n8n did not start on this version over the data. */
  startError?: string;
  exchanges: Exchange[];
  checks: Check[];
}

export interface UpgradeResult {
  from: string;
  to: string;
  /** On `from`: owner, key, credential and workflow made and working. */
  before: VersionProbe;
  /** On `to`, over the same database and data volume. */
  after: VersionProbe;
  /** Back on `from` over the data `to` migrated (reported, not required to pass). */
  downgrade: VersionProbe;
  /** Differences between before and after, one line each. */
  changes: string[];
  /** The key, the workflow and its credential all work after the upgrade. */
  passed: boolean;
  startedAt: string;
  finishedAt: string;
}

interface UpgradeOptions {
  from: string;
  to: string;
  images: ImageOptions;
  progress: (line: string) => void;
}

/**
 * The upgrade check: on `from`, create the owner, an API key, a credential and a workflow that
 * uses it; replace n8n with `to` over the same data; check that all three still work and report
 * what changed; then go back to `from` over the migrated data and report what happens.
 */
export async function runUpgradeCheck(opts: UpgradeOptions): Promise<UpgradeResult> {
  const startedAt = new Date().toISOString();
  for (const v of [opts.from, opts.to]) await assertServedN8nVersion(v);
  const fromImage = await resolveN8nImage(opts.from, opts.images);
  const toImage = await resolveN8nImage(opts.to, opts.images);
  const postgres = await resolveServiceImage('postgres', opts.images);
  const workdir = await mkdtemp(join(tmpdir(), 'authlab-upgrade-'));
  let stack: StartedAuthStack | undefined;
  try {
    stack = await startAuthStack(UPGRADE_STACK, { version: opts.from, image: fromImage, serviceImages: { postgres }, progress: opts.progress });
    const ctx = scenarioContext(stack, workdir, opts.progress);
    const workflow = await deployBearerWorkflow(ctx);
    const before = await probe(ctx, opts.from, workflow);
    opts.progress(`replacing n8n ${opts.from} with ${opts.to} over the same data`);
    const after = await onVersion(ctx, opts.to, toImage, workflow);
    opts.progress(`back to n8n ${opts.from} over the data ${opts.to} migrated`);
    const downgrade = await onVersion(ctx, opts.from, fromImage, workflow);
    return {
      from: opts.from,
      to: opts.to,
      before,
      after,
      downgrade,
      changes: changesBetween(before, after),
      passed: before.checks.every((c) => c.ok) && !after.startError && after.checks.every((c) => c.ok),
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    await stack?.stop();
    await rm(workdir, { recursive: true, force: true });
  }
}

/** Starts `version` over the stack's data (from a running n8n or a failed start) and probes it. */
async function onVersion(ctx: ScenarioContext, version: string, image: string, workflow: WebhookWorkflow): Promise<VersionProbe> {
  const failure = await ctx.stack.tryStartPrimary({ image, version });
  if (failure) {
    return {
      version,
      startError: `${failure.message.split('\n')[0]}; it said: ${failure.said}`,
      exchanges: [],
      checks: [check(`n8n ${version} starts over the data`, false, failure.said)],
    };
  }
  return probe(ctx, version, workflow);
}

/** The API key on the public API, and the workflow run with its credential, on the running n8n. */
async function probe(ctx: ScenarioContext, version: string, workflow: WebhookWorkflow): Promise<VersionProbe> {
  const key = await sendKey(ctx, `n8n ${version}: the API key made on the first version`);
  // After a start over the same data, n8n registers the workflow's webhook again, on 2.x a moment later.
  const unregistered = await waitForWebhook(ctx, workflow).then(
    () => undefined,
    (err: Error) => err.message,
  );
  const run = await runWebhookWorkflow(ctx, workflow, `n8n ${version}: the workflow`, 'bearer-api');
  const executed = run.some((e) => e.request.url.includes('/api/v1/executions'));
  const error = executionError(run);
  const sent = run.find((e) => e.via === 'n8n-workflow');
  return {
    version,
    exchanges: [key, ...run],
    checks: [
      check(`n8n ${version}: the API key works`, key.outcome === 'accepted', `${key.response?.status ?? key.error} ${key.response?.body.slice(0, 80) ?? ''}`),
      check(`n8n ${version}: the workflow's webhook is registered`, unregistered === undefined, unregistered ?? 'n8n knows its path'),
      check(
        `n8n ${version}: the workflow runs and its credential decrypts`,
        executed && error === '',
        executed ? error || 'the execution succeeded' : 'no execution was saved',
      ),
      check(
        `n8n ${version}: the credential reaches the API as it was stored`,
        sent?.response?.status === 200,
        sent ? `the API answered ${sent.response?.status}` : 'no request reached the API',
      ),
    ],
  };
}

/** What differs between two versions' answers to the same probes (status, and the keys of JSON bodies). */
function changesBetween(a: VersionProbe, b: VersionProbe): string[] {
  if (b.startError) return [`n8n ${b.version} did not start over n8n ${a.version}'s data: ${b.startError}`];
  const changes: string[] = [];
  b.exchanges.forEach((after, i) => {
    const before = a.exchanges[i];
    if (!before) return;
    const what = after.label.replace(/^n8n [^:]+: /, '');
    if (before.response?.status !== after.response?.status)
      changes.push(`${what}: status ${before.response?.status ?? 'none'} -> ${after.response?.status ?? 'none'}`);
    const keysBefore = jsonKeys(before.response?.body);
    const keysAfter = jsonKeys(after.response?.body);
    const added = keysAfter.filter((k) => !keysBefore.includes(k));
    const removed = keysBefore.filter((k) => !keysAfter.includes(k));
    if (added.length || removed.length) {
      changes.push(
        `${what} (${after.request.method} ${new URL(after.request.url).pathname}): ${[added.length ? `fields added: ${added.join(', ')}` : '', removed.length ? `fields removed: ${removed.join(', ')}` : ''].filter(Boolean).join('; ')}`,
      );
    }
  });
  return changes;
}

/** The field names of a JSON answer (of its first item, for a list answer). */
function jsonKeys(body: string | undefined): string[] {
  try {
    const value = JSON.parse(body ?? '') as unknown;
    const first = Array.isArray((value as { data?: unknown }).data) ? ((value as { data: unknown[] }).data[0] ?? {}) : value;
    return Object.keys(first as object).sort();
  } catch {
    return [];
  }
}
