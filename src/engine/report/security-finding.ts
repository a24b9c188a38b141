import type { VerdictAnswers } from '../../core/types.ts';

/** What a scenario says of who its failure, or n8n not refusing, lets in (the catalogue's `security` and `refusalKeepsOut`). */
export interface SecurityMarks {
  security?: string;
  refusalKeepsOut?: string;
}

/** Only the marks `x` holds (no undefined fields): what a result, a ledger row and a merged ledger carry. */
export function securityMarksOf(x: SecurityMarks): SecurityMarks {
  return { ...(x.security ? { security: x.security } : {}), ...(x.refusalKeepsOut ? { refusalKeepsOut: x.refusalKeepsOut } : {}) };
}

/**
 * Who a recorded result let in where they do not belong, if anyone: the failure of a `security`
 * scenario happened, or the refusal of a `refusalKeepsOut` one did not (on some probes or all).
 * Unjudged results (no answers) let in nobody.
 */
export function letIn(marks: SecurityMarks, answers: Pick<VerdictAnswers, 'happens'> | undefined): string | undefined {
  if (!answers) return undefined;
  if (marks.security && answers.happens !== 'no') return marks.security;
  if (marks.refusalKeepsOut && answers.happens !== 'yes') return marks.refusalKeepsOut;
  return undefined;
}

/** The row's note beside its title: which cells would be security findings. */
export function securityNote(marks: SecurityMarks): string | undefined {
  if (marks.security) return `security finding: lets in ${marks.security}`;
  if (marks.refusalKeepsOut) return `a security finding where n8n does not refuse: it lets in ${marks.refusalKeepsOut}`;
  return undefined;
}

/**
 * The ledger with each row's marks as the catalogue defines them now (a ledger merged from runs of
 * older code keeps its recorded answers; who a refusal keeps out is the scenario's definition, not a
 * recording). Rows the catalogue does not know keep theirs.
 */
export function withSecurityMarks<L extends { rows: Array<SecurityMarks & { id: string }> }>(ledger: L, marks: ReadonlyMap<string, SecurityMarks>): L {
  const rows = ledger.rows.map((row) => {
    const now = marks.get(row.id);
    if (!now) return row;
    const { security: _s, refusalKeepsOut: _r, ...rest } = row;
    return { ...rest, ...securityMarksOf(now) };
  });
  return { ...ledger, rows };
}
