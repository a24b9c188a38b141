import type { CatalogueRun } from '../scenarios/plan.ts';
import type { ScenarioResult, VerdictKind } from '../scenarios/types.ts';
import { mask } from '../secrets.ts';

const MARK: Record<VerdictKind, string> = { confirmed: 'confirmed', refuted: 'REFUTED', inconclusive: 'inconclusive', 'not-runnable': 'not runnable here' };

/** The verdict table printed at the end of a run: a row per claim, a column per version. */
export function verdictTable(run: CatalogueRun): string {
  const ids = [...new Set(run.results.map((r) => r.id))];
  const byKey = new Map(run.results.map((r) => [`${r.id}@${r.version}`, r]));
  const header = ['scenario', 'section', ...run.versions.map((v) => `n8n ${v}`)];
  const rows = ids.map((id) => {
    const any = run.results.find((r) => r.id === id)!;
    return [id, any.guide.section, ...run.versions.map((v) => cell(byKey.get(`${id}@${v}`)))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const differs = ids.filter((id) => new Set(run.versions.map((v) => byKey.get(`${id}@${v}`)?.verdict.kind)).size > 1);
  return mask(
    [
      line(header),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map(line),
      ...(differs.length ? ['', `verdicts that differ between versions: ${differs.join(', ')}`] : []),
    ].join('\n'),
  );
}

function cell(r: ScenarioResult | undefined): string {
  if (!r) return '-';
  return `${MARK[r.verdict.kind]}${r.correctFixResolves || r.verdict.kind === 'not-runnable' ? '' : ' (fix failed)'}`;
}
