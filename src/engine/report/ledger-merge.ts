import semver from 'semver';
import { agreementOf, countsOf, missingCell, LEDGER_SCHEMA_VERSION, type Ledger, type LedgerRow } from './ledger.ts';

/**
 * One ledger from several runs' ledgers (say one CI job per n8n version): a column per version, in
 * release order, rows in the order first seen, agreement and counts computed again. A claim run
 * on the same version in two ledgers keeps the later one's cell (a rerun of a few scenarios
 * replaces just their cells). Only ledgers of the current schema merge: an older
 * one has no answers to set beside the others.
 */
export function mergeLedgers(ledgers: Ledger[]): Ledger {
  const old = ledgers.find((l) => l.schemaVersion !== LEDGER_SCHEMA_VERSION);
  if (old) throw new Error(`a ledger of schema version ${old.schemaVersion} cannot be merged with version ${LEDGER_SCHEMA_VERSION}; run it again`);
  if (ledgers.length === 0) throw new Error('no ledger to merge');
  const versions = [...new Set(ledgers.flatMap((l) => l.versions))].sort(compareVersions);
  const ids = [...new Set(ledgers.flatMap((l) => l.rows.map((r) => r.id)))];
  const rows: LedgerRow[] = ids.map((id) => {
    const any = ledgers.flatMap((l) => l.rows).find((r) => r.id === id)!;
    const cellIn = (l: Ledger, v: string) => l.rows.find((r) => r.id === id)?.cells.find((c) => c.version === v && c.verdict !== 'missing');
    const cells = versions.map((v) => ledgers.map((l) => cellIn(l, v)).findLast((c) => c !== undefined) ?? missingCell(id, v));
    return { ...any, cells, ...agreementOf(cells) };
  });
  const families = ledgers.flatMap((l) => l.families).filter((f, i, all) => all.findIndex((g) => g.id === f.id) === i);
  const times = ledgers.flatMap((l) => [l.startedAt, l.finishedAt]).sort();
  const { shard: _oneShard, ...first } = ledgers[0]!;
  return {
    ...first,
    versions,
    images: Object.fromEntries(versions.map((v) => [v, ledgers.findLast((l) => l.images[v])?.images[v] ?? ''])),
    boots: ledgers.reduce((n, l) => n + l.boots, 0),
    startedAt: times[0]!,
    finishedAt: times.at(-1)!,
    families,
    counts: countsOf(versions, rows),
    rows,
  };
}

/** Release order; a name semver cannot read keeps its place after the releases. */
function compareVersions(a: string, b: string): number {
  const [va, vb] = [semver.valid(a), semver.valid(b)];
  if (va && vb) return semver.compare(va, vb);
  return va ? -1 : vb ? 1 : 0;
}
