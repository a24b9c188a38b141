import { UserError } from '../../base/user-error.ts';
import type { Ledger } from './ledger.ts';

/** Which rows of a ledger to keep: families, and ids or id prefixes (`headers.`); none given: all. */
export interface RowSelection {
  families?: readonly string[];
  ids?: readonly string[];
}

const picks = (sel: RowSelection, row: { id: string; family: string }) =>
  (!sel.families?.length || sel.families.includes(row.family)) &&
  (!sel.ids?.length || sel.ids.some((id) => row.id === id || (id.endsWith('.') && row.id.startsWith(id))));

/**
 * The ledgers with only the selected rows, counts unchanged (a diff reads rows only). A family or id
 * that no row of either ledger has is a typo, not an empty selection: one line naming it (exit 2).
 */
export function selectRows<L extends Ledger>(ledgers: readonly L[], sel: RowSelection): L[] {
  const rows = ledgers.flatMap((l) => l.rows);
  const unknown = [
    ...(sel.families ?? []).filter((f) => !rows.some((r) => r.family === f)).map((f) => `family ${f}`),
    ...(sel.ids ?? []).filter((id) => !rows.some((r) => picks({ ids: [id] }, r))).map((id) => `scenario ${id}`),
  ];
  if (unknown.length) throw new UserError(`neither ledger has a row of ${unknown.join(', ')}`);
  return ledgers.map((l) => ({ ...l, rows: l.rows.filter((r) => picks(sel, r)) }));
}
