// The measured costs `authlab run --shard` and `npm test -- --shard` balance by, from real runs:
//   node --experimental-strip-types scripts/plan-costs.ts --out fixtures/plan/costs.json <report.json|ledger.json> ...
// A report.json gives each scenario's own run (results[].durationMs) and each stack's boot
// (run.stacks[].ms); a ledger.json gives the scenarios' runs only (cells' durationMs). Each cost is
// the median of what was measured for it, on any version, in seconds to a tenth; a stack or a
// scenario none of the files has costs the median of the others. An earlier costs.json given as a
// file counts each of its costs as one measurement, so that costs measured before are kept when
// their reports are gone.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { unversionedKey, type PlanCosts } from '../src/engine/shard.ts';

/** Without a measured boot: about what one n8n boot to ready costs on two cores (bench/). */
const UNMEASURED_BOOT_S = 15;

interface Report {
  run: { results: Array<{ id: string; durationMs: number }>; stacks?: Array<{ key: string; ms: number }> };
}
interface LedgerFile {
  rows: Array<{ id: string; cells: Array<{ durationMs?: number }> }>;
}
interface CostsFile extends PlanCosts {
  from: string[];
}

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out || positionals.length === 0) {
  console.error('usage: plan-costs --out <costs.json> <report.json|ledger.json> [...]');
  process.exit(2);
}

const scenarioMs = new Map<string, number[]>();
const bootMs = new Map<string, number[]>();
const add = (into: Map<string, number[]>, key: string, ms: number) => into.set(key, [...(into.get(key) ?? []), ms]);
const from: string[] = [];
for (const file of positionals) {
  const json = JSON.parse(await readFile(file, 'utf8')) as Report | LedgerFile | CostsFile;
  from.push(...('from' in json ? json.from : [file]));
  if ('from' in json) {
    for (const [id, s] of Object.entries(json.scenarios)) add(scenarioMs, id, s * 1000);
    for (const [key, s] of Object.entries(json.boots)) add(bootMs, key, s * 1000);
  } else if ('run' in json) {
    for (const r of json.run.results) add(scenarioMs, r.id, r.durationMs);
    for (const s of json.run.stacks ?? []) add(bootMs, unversionedKey(s.key), s.ms);
  } else {
    for (const row of json.rows) for (const c of row.cells) if (c.durationMs !== undefined) add(scenarioMs, row.id, c.durationMs);
  }
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const costsOf = (measured: Map<string, number[]>) => Object.fromEntries([...measured.keys()].sort().map((key) => [key, seconds(median(measured.get(key)!))]));

const scenarios = costsOf(scenarioMs);
const boots = costsOf(bootMs);
const costs: PlanCosts = {
  boots,
  scenarios,
  defaults: {
    boot: bootMs.size ? median(Object.values(boots)) : UNMEASURED_BOOT_S,
    scenario: scenarioMs.size ? median(Object.values(scenarios)) : 1,
  },
};
await writeFile(values.out, `${JSON.stringify({ from: [...new Set(from)], ...costs }, null, 2)}\n`);
console.log(`${Object.keys(scenarios).length} scenario(s), ${Object.keys(boots).length} stack(s) measured; written to ${values.out}`);
