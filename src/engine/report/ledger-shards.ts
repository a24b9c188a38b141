import type { Ledger } from './ledger.ts';

/**
 * What stands against merging shards' ledgers (`authlab run --shard i/n`): the same shard twice or
 * two shards with a cell of the same claim on the same version refuse (one would silently replace
 * the other); a shard of a split that is missing only warns (its job may have failed: the rest
 * still merges, its claims have no result). A split is the shards of one count of a run asked for
 * the same versions.
 */
export function shardProblems(ledgers: Array<{ file: string; ledger: Ledger }>): { refuse: string[]; warn: string[] } {
  const refuse: string[] = [];
  const warn: string[] = [];
  const splits = new Map<string, Array<{ file: string; ledger: Ledger }>>();
  for (const entry of ledgers) {
    const shard = entry.ledger.shard;
    if (!shard) continue;
    const split = `n8n ${shard.versions.join(', ')}, ${shard.count} shard(s)`;
    splits.set(split, [...(splits.get(split) ?? []), entry]);
  }
  for (const [split, shards] of splits) {
    const count = shards[0]!.ledger.shard!.count;
    for (let index = 1; index <= count; index++) {
      const files = shards.filter((s) => s.ledger.shard!.index === index).map((s) => s.file);
      if (files.length > 1) refuse.push(`${files.join(' and ')} are both shard ${index}/${count} of ${split}`);
      if (files.length === 0) warn.push(`shard ${index}/${count} of ${split} is missing: its claims have no result`);
    }
    const seen = new Map<string, string>();
    for (const { file, ledger } of shards) {
      for (const row of ledger.rows) {
        for (const cell of row.cells) {
          if (cell.verdict === 'missing') continue;
          const claim = `${row.id}@${cell.version}`;
          const other = seen.get(claim);
          if (other && other !== file) refuse.push(`${other} and ${file} both ran ${claim}: shards of one split never overlap`);
          seen.set(claim, file);
        }
      }
    }
  }
  return { refuse, warn };
}
