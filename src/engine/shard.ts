import { readFileSync } from 'node:fs';
import { UserError } from '../base/user-error.ts';
import { type PlannedGroup, planQueue } from './plan.ts';
import { StackPool } from './stack-pool.ts';
import type { AnyScenario } from '../core/types.ts';

/** Shard `index` (1-based) of `count`, as `--shard i/n` says it. */
export interface Shard {
  index: number;
  count: number;
}

/** What a shard of a run ran, as its reports carry it: `merge-ledgers` checks the shards of one split against it. */
export interface ShardOfRun extends Shard {
  /** The stack groups it ran (`<version>/<stack key>`), and how many the whole plan has. */
  groups: string[];
  ofGroups: number;
  /** The versions the whole run was asked for (the shard's ledger has those it ran). */
  versions: string[];
}

/** Measured seconds: a stack's boot per stack key without its version, a scenario's own run per id (fixtures/plan/costs.json). */
export interface PlanCosts {
  boots: Record<string, number>;
  scenarios: Record<string, number>;
  /** For a stack or a scenario the measured run did not have. */
  defaults: { boot: number; scenario: number };
}

const COSTS_FILE = new URL('../../fixtures/plan/costs.json', import.meta.url);

/** The committed costs (scripts/plan-costs.ts writes them from a run's report.json). */
export function committedCosts(): PlanCosts {
  return JSON.parse(readFileSync(COSTS_FILE, 'utf8')) as PlanCosts;
}

/** `i/n` with 1 <= i <= n, else a UserError of one line (exit 2). */
export function parseShard(text: string, option = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || count < 1 || index < 1 || index > count)
    throw new UserError(`${option} takes i/n, the i-th of n shards with 1 <= i <= n (got ${JSON.stringify(text)})`);
  return { index, count };
}

/** A stack key without its version part (`2.41.0/secrets-sqlite/x` -> `secrets-sqlite/x`): costs hold for every version. */
export function unversionedKey(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}

/** A group's estimated seconds: its stack's boot and each of its scenarios' own run. */
export function groupCost(key: string, scenarioIds: string[], costs: PlanCosts): number {
  const boot = costs.boots[unversionedKey(key)] ?? costs.defaults.boot;
  return scenarioIds.reduce((sum, id) => sum + (costs.scenarios[id] ?? costs.defaults.scenario), boot);
}

/** A planned group's estimated seconds under `costs`, keyed as the stack pool keys its stack. */
export const plannedGroupCost =
  (costs: PlanCosts) =>
  ({ version, group }: PlannedGroup): number =>
    groupCost(
      StackPool.keyOf(version, group[0]!),
      group.map((s) => s.id),
      costs,
    );

/**
 * Longest processing time first: the costliest item goes to the least loaded bin (the lowest
 * index among equals), items of equal cost in key order. The same items give the same bins on
 * any machine, in whatever order they come.
 */
export function splitByCost<T extends { key: string; cost: number }>(items: T[], count: number): T[][] {
  const bins: T[][] = Array.from({ length: count }, () => []);
  const loads = new Array<number>(count).fill(0);
  const ordered = [...items].sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const item of ordered) {
    const least = loads.indexOf(Math.min(...loads));
    bins[least]!.push(item);
    loads[least]! += item.cost;
  }
  return bins;
}

type Wanted = { version: string; scenario: AnyScenario };

/** A plan's stack groups with their keys and estimated costs, in the plan's order. */
export function costedGroups(wanted: Wanted[], costs: PlanCosts): Array<{ key: string; cost: number; ids: string[] }> {
  return planQueue(wanted).map(({ version, group }) => {
    const key = StackPool.keyOf(version, group[0]!);
    const ids = group.map((s) => s.id);
    return { key, cost: groupCost(key, ids, costs), ids };
  });
}

/**
 * The runs of one shard: the plan's stack groups (one stack key per version, never split) spread
 * over `count` shards by their measured costs, and the wanted runs whose group fell to `index`,
 * in their order.
 */
export function shardRuns(wanted: Wanted[], shard: Shard, costs: PlanCosts): { runs: Wanted[]; of: ShardOfRun; seconds: number; totalSeconds: number } {
  const groups = costedGroups(wanted, costs);
  const mine = splitByCost(groups, shard.count)[shard.index - 1]!;
  const keys = new Set(mine.map((g) => g.key));
  const sum = (list: Array<{ cost: number }>) => list.reduce((n, g) => n + g.cost, 0);
  return {
    runs: wanted.filter(({ version, scenario }) => keys.has(StackPool.keyOf(version, scenario))),
    of: {
      ...shard,
      groups: groups.filter((g) => keys.has(g.key)).map((g) => g.key),
      ofGroups: groups.length,
      versions: [...new Set(wanted.map((w) => w.version))],
    },
    seconds: sum(mine),
    totalSeconds: sum(groups),
  };
}
