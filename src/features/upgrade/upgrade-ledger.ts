import type { Exchange } from '../../parts/client/exchange.ts';
import { describeChange, diffLedgers } from '../../engine/report/ledger-diff.ts';
import {
  anchorOf,
  countsOf,
  LEDGER_SCHEMA,
  LEDGER_SCHEMA_VERSION,
  type Ledger,
  type LedgerCell,
  type LedgerRow,
  missingCell,
  agreementOf,
  VERDICT_LABEL,
} from '../../engine/report/ledger.ts';
import { maskDeep } from '../../base/secrets.ts';
import type { ProbeCheck, UpgradeRow, VersionProbe } from './upgrade-probe.ts';

/** The rows of a step's ledger, in order, each a claim about the data the path's first version made. */
const ROWS: Record<UpgradeRow, (first: string) => string> = {
  start: (first) => `n8n starts over the data n8n ${first} made (its migrations run)`,
  'api-key': (first) => `the API key made on n8n ${first} authenticates on the public API`,
  webhook: (first) => `the production webhook of the workflow published on n8n ${first} is registered and answers`,
  workflow: (first) => `the workflow made on n8n ${first} runs, its credential decrypted`,
  credential: (first) => `the credential made on n8n ${first} reaches the mock API as it was stored`,
};

export const UPGRADE_FAMILY = { id: 'upgrade', title: 'An upgrade along a path over the same data', sections: 'D' };

/** Where a step's ledger came from: the path's first version, the database and the image this step ran. */
export interface StepLedgerMeta {
  first: string;
  database: string;
  image: string;
  tool: string;
  startedAt: string;
  finishedAt: string;
}

/**
 * One step of an upgrade as a ledger with one version: a row per check, `works as claimed` or
 * `fails, unlike the claim`, with what n8n did as the cell's behaviour. Two steps' ledgers are
 * what `authlab diff` compares, so a step's changes are the ledger diff's lines.
 */
export function stepLedger(probe: VersionProbe, meta: StepLedgerMeta): Ledger {
  const rows: LedgerRow[] = (Object.keys(ROWS) as UpgradeRow[]).map((row) => {
    const id = `upgrade.${row}`;
    const found = probe.checks.find((c) => c.row === row);
    const cells = [found ? cellOf(id, probe, found) : missingCell(id, probe.version)];
    const claim = ROWS[row](meta.first);
    return {
      id,
      family: UPGRADE_FAMILY.id,
      section: UPGRADE_FAMILY.sections,
      claim,
      fix: '',
      title: `${meta.database}: ${claim}`,
      cells,
      ...agreementOf(cells),
    };
  });
  return maskDeep({
    schema: LEDGER_SCHEMA,
    schemaVersion: LEDGER_SCHEMA_VERSION,
    tool: { name: 'n8n-authlab', version: meta.tool },
    versions: [probe.version],
    images: { [probe.version]: meta.image },
    boots: 1,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    families: [UPGRADE_FAMILY],
    counts: countsOf([probe.version], rows),
    rows,
  });
}

function cellOf(id: string, probe: VersionProbe, c: ProbeCheck): LedgerCell {
  const verdict = c.ok ? 'works-as-the-guide-says' : 'fails-unlike-the-guide';
  const exchanges = exchangesOf(probe, c.row);
  return {
    version: probe.version,
    verdict,
    headline: VERDICT_LABEL[verdict],
    summary: `n8n ${probe.version}: ${c.what}: ${c.evidence}`,
    correctFixResolves: null,
    anchor: anchorOf(id, probe.version),
    behaviour: c.behaviour,
    evidence: {
      faultProof: [{ what: c.what, ok: c.ok, evidence: c.evidence }],
      remedies: [],
      exchanges: exchanges.map(({ n8nLog: _log, ...exchange }) => ({ phase: 'symptom' as const, exchange })),
      log: [
        ...exchanges.flatMap((e, i) => (e.n8nLog ?? []).map((line) => ({ exchange: i, line }))),
        ...(c.row === 'start' ? (probe.startLog ?? []).map((line) => ({ exchange: -1, line })) : []),
      ],
    },
  };
}

/** The recorded exchanges a row is judged on. */
function exchangesOf(probe: VersionProbe, row: UpgradeRow): Exchange[] {
  const is: Record<UpgradeRow, (e: Exchange, i: number) => boolean> = {
    start: () => false,
    'api-key': (_e, i) => i === 0,
    webhook: (e) => e.context === true,
    workflow: (e) => e.request.url.includes('/api/v1/executions'),
    credential: (e) => e.via === 'n8n-workflow',
  };
  return probe.exchanges.filter(is[row]);
}

/** What changed from one step to the next, one line each, as `authlab diff` says it between their ledgers. */
export function stepChanges(before: Ledger, after: Ledger): string[] {
  return diffLedgers(before, after).changes.map(describeChange);
}

/** The parts of a behaviour (`200 accepted; fields a, b`: `200 accepted`, `a`, `b`; a list's first item keeps its label). */
const partsOf = (behaviour: string) => behaviour.split(/; |, /);

/**
 * Each changed behaviour in short, what the diff's `A -> B` amounts to: the parts only B has (+)
 * and only A had (-). `upgrade.api-key: + activeVersion, nodeGroups`.
 */
export function behaviourChanges(before: Ledger, after: Ledger): string[] {
  return diffLedgers(before, after).changes.flatMap((c) => {
    if (c.kind !== 'behaviour-changed') return [];
    const [was, is] = [partsOf(c.from), partsOf(c.to)];
    const added = is.filter((p) => !was.includes(p));
    const removed = was.filter((p) => !is.includes(p));
    return [`${c.id}: ${[added.length ? `+ ${added.join(', ')}` : '', removed.length ? `- ${removed.join(', ')}` : ''].filter(Boolean).join('; ')}`];
  });
}

/** One version of the path, started over the data the step before left. */
export interface UpgradeStep {
  probe: VersionProbe;
  image: string;
  /** The step as a one-version ledger (`authlab diff` compares two of them). */
  ledger: Ledger;
  /** What changed from the step before, one line each, as the ledger diff says it (none for the first step). */
  changes: string[];
  /** The changed behaviours among them in short (`behaviourChanges`). */
  inShort: string[];
}

/** A probed version as a step of the path, compared with the step before it. */
export function upgradeStep(probe: VersionProbe, meta: StepLedgerMeta, before?: UpgradeStep): UpgradeStep {
  const ledger = stepLedger(probe, meta);
  return {
    probe,
    image: meta.image,
    ledger,
    changes: before ? stepChanges(before.ledger, ledger) : [],
    inShort: before ? behaviourChanges(before.ledger, ledger) : [],
  };
}
