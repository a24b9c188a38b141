import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../parts/images/paths.ts';
import { judgedCell, type Ledger, type LedgerCell } from '../../engine/report/ledger.ts';
import type { Lab } from './lab-catalogue.ts';
import { symptomPasses } from './labs.ts';

/**
 * Where each lab breaks, read off the published ledger (docs/versions/ledger.json). docs/ is not
 * in the npm package, so scripts/lab-versions.ts derives this small file from it, kept in
 * fixtures/ (which the package ships); a unit test keeps it equal to what the ledger says.
 */
export interface LabVersions {
  /** The ledger it was derived from: its path in the repository, when its run finished, its versions. */
  ledger: { path: string; finishedAt: string; versions: string[] };
  /** Per lab: the versions where its symptom shows, and those where the ledger has no result for it. */
  labs: Record<string, LabBreaks>;
  /**
   * Labs the ledger has no result for yet (a family newer than its run): where another run judged
   * them, which it names. Kept by the derivation for those labs only, until the ledger has them.
   */
  judgedElsewhere?: { source: string; versions: string[]; labs: Record<string, LabBreaks> };
}

export interface LabBreaks {
  breaks: string[];
  notRun: string[];
}

export const LAB_VERSIONS_FILE = join(FIXTURES_DIR, 'labs', 'lab-versions.json');
export const PUBLISHED_LEDGER = 'docs/versions/ledger.json';

/**
 * Whether a judged cell shows the lab's symptom. For most labs that is the failure happening (on
 * every probe or some). For a lab whose symptom is a request let through where it must not be (a
 * key injected at the proxy), the scenario's claim is that the injection works: the hole is open
 * where that claim holds, the failure "does not happen".
 */
function breaksIn(lab: Lab, cell: LedgerCell): boolean {
  const happens = cell.answers?.happens;
  return symptomPasses(lab) ? happens === 'no' : happens === 'yes' || happens === 'partly';
}

/**
 * The labs' versions, from a ledger; a lab the ledger has no row for has every version not run,
 * and keeps what `elsewhere` (the file's last judgedElsewhere) says of it.
 */
export function labVersionsOf(ledger: Ledger, labs: Lab[], elsewhere?: LabVersions['judgedElsewhere']): LabVersions {
  const rows = new Map(ledger.rows.map((r) => [r.id, r]));
  const entries = labs.map((lab): [string, LabVersions['labs'][string]] => {
    const cells = rows.get(lab.id)?.cells ?? [];
    const judged = cells.filter((c) => judgedCell(c.verdict) && c.answers);
    const run = new Set(judged.map((c) => c.version));
    return [lab.id, { breaks: judged.filter((c) => breaksIn(lab, c)).map((c) => c.version), notRun: ledger.versions.filter((v) => !run.has(v)) }];
  });
  const unjudged = new Set(entries.filter(([, v]) => v.notRun.length === ledger.versions.length).map(([id]) => id));
  const kept = Object.entries(elsewhere?.labs ?? {}).filter(([id]) => unjudged.has(id));
  return {
    ledger: { path: PUBLISHED_LEDGER, finishedAt: ledger.finishedAt, versions: ledger.versions },
    labs: Object.fromEntries(entries),
    ...(elsewhere && kept.length ? { judgedElsewhere: { ...elsewhere, labs: Object.fromEntries(kept) } } : {}),
  };
}

/** Where a lab breaks: the ledger's result, else another run's (named), else nothing known. */
export function breaksOf(v: LabVersions, id: string): LabBreaks & { source: 'ledger' | 'elsewhere' } {
  const ledger = v.labs[id] ?? { breaks: [], notRun: v.ledger.versions };
  const other = v.judgedElsewhere?.labs[id];
  if (ledger.notRun.length < v.ledger.versions.length || !other || !v.judgedElsewhere) return { ...ledger, source: 'ledger' };
  const judged = v.judgedElsewhere.versions.filter((x) => !other.notRun.includes(x));
  return { breaks: other.breaks, notRun: v.ledger.versions.filter((x) => !judged.includes(x)), source: 'elsewhere' };
}

export const labVersionsJson = (v: LabVersions): string => `${JSON.stringify(v, null, 2)}\n`;

/** The file shipped with the package (read synchronously: `lab list` needs nothing else). */
export function readLabVersions(): LabVersions {
  return JSON.parse(readFileSync(LAB_VERSIONS_FILE, 'utf8')) as LabVersions;
}
