import { type CatalogueOptions, type CatalogueRun, runCatalogue } from './plan.ts';
import type { N8nImage } from '../parts/images/n8n-image.ts';
import type { ShardOfRun } from './shard.ts';
import type { AnyScenario } from '../core/types.ts';

/** A shard's run: a catalogue run that says which shard of which split it is. */
export type ShardedRun = CatalogueRun & { shard: ShardOfRun };

/**
 * Runs a shard's runs. Versions whose share is the same scenarios run as one catalogue run (their
 * stacks side by side, as without --shard); a version with another share runs after, and the runs
 * are joined into one. A shard with nothing to run boots nothing.
 */
export async function runShard(
  runs: Array<{ version: string; scenario: AnyScenario }>,
  shard: ShardOfRun,
  opts: Omit<CatalogueOptions, 'scenarios'>,
): Promise<ShardedRun> {
  const shares = new Map<string, { n8n: N8nImage[]; scenarios: AnyScenario[] }>();
  for (const n8n of opts.n8n) {
    const scenarios = runs.filter((r) => r.version === n8n.version).map((r) => r.scenario);
    if (scenarios.length === 0) continue;
    const ids = scenarios.map((s) => s.id).join(',');
    const share = shares.get(ids) ?? { n8n: [], scenarios };
    share.n8n.push(n8n);
    shares.set(ids, share);
  }
  const parts: CatalogueRun[] = [];
  for (const share of shares.values()) parts.push(await runCatalogue({ ...opts, ...share }));
  return {
    ...joinRuns(
      opts.n8n.map((n) => n.version),
      parts,
    ),
    shard,
  };
}

/** Catalogue runs one after another as one run: the versions they ran and their results in the order asked, boots and stacks added up. */
function joinRuns(versions: string[], parts: CatalogueRun[]): CatalogueRun {
  const now = new Date().toISOString();
  const rank = (v: string) => versions.indexOf(v);
  return {
    versions: versions.filter((v) => parts.some((p) => p.versions.includes(v))),
    images: Object.assign({}, ...parts.map((p) => p.images)) as Record<string, string>,
    results: parts.flatMap((p) => p.results).sort((a, b) => rank(a.version) - rank(b.version)),
    boots: parts.reduce((n, p) => n + p.boots, 0),
    stacks: parts.flatMap((p) => p.stacks ?? []),
    startedAt: parts[0]?.startedAt ?? now,
    finishedAt: parts.at(-1)?.finishedAt ?? now,
  };
}
