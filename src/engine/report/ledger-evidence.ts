import type { LedgerCell } from './ledger.ts';

/**
 * Where a cell's whole evidence (fault proof, each fix, every exchange, n8n's log, screenshots) is
 * written, beside ledger.md and ledger.html: the two pages carry the tables, the legend and each
 * cell's headline and four answers, and stay readable for a whole run; each cell links here.
 */
export const EVIDENCE_FILE = { md: 'ledger-evidence.md', html: 'ledger-evidence.html' } as const;

export const evidenceHref = (c: Pick<LedgerCell, 'anchor'>, format: keyof typeof EVIDENCE_FILE): string => `${EVIDENCE_FILE[format]}#${c.anchor}`;
