import { describeDiff, diffLedgers, pairLabel, readLedger } from '../engine/report/ledger-diff.ts';
import { selectRows } from '../engine/report/ledger-rows.ts';
import { UserError } from '../base/user-error.ts';
import type { DIFF_OPTIONS } from './command-options.ts';
import { out, progress } from './io.ts';
import type { Values } from './options.ts';

/**
 * Exit 0: nothing changed; 1: a row, verdict, answer, behaviour, headline or the verified fix
 * changed. Stdout holds only the changes (none: empty), so a CI step can attach or count them.
 */
export async function run(values: Values<typeof DIFF_OPTIONS>, files: string[]): Promise<number> {
  const [before, after] = files;
  if (!before || !after) throw new UserError('diff needs two ledger files: authlab diff <old ledger.json> <new ledger.json>');
  const list = (v: string | undefined) =>
    v
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const [old, current] = selectRows([await readLedger(before), await readLedger(after)], { families: list(values.family), ids: list(values.only) });
  const diff = diffLedgers(old!, current!);
  for (const line of describeDiff(diff)) out(line);
  if (diff.changes.length === 0) progress(`nothing changed (${diff.pairs.map(pairLabel).join(', ') || 'no version compared'})`);
  return diff.changes.length ? 1 : 0;
}
