import type { CatalogueRun } from '../scenarios/plan.ts';
import type { ScenarioResult } from '../scenarios/types.ts';
import { briefHeadline } from '../scenarios/verdict.ts';
import { mask } from '../secrets.ts';

/** The verdict table printed at the end of a run: a row per claim, a column per version, each cell its headline in brief. */
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
  const counts = run.versions.map((v) => `n8n ${v}: ${countsLine(run.results.filter((r) => r.version === v))}`);
  return mask(
    [
      line(header),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map(line),
      '',
      ...counts,
      ...(differs.length ? ['', `verdicts that differ between versions: ${differs.join(', ')}`] : []),
    ].join('\n'),
  );
}

function countsLine(results: ScenarioResult[]): string {
  const by = new Map<string, number>();
  for (const r of results) by.set(r.verdict.kind, (by.get(r.verdict.kind) ?? 0) + 1);
  return [...by].map(([k, n]) => `${n} ${k}`).join(', ');
}

function cell(r: ScenarioResult | undefined): string {
  if (!r) return '-';
  return `${briefHeadline(r.verdict.kind, r.verdict.answers)}${r.correctFixResolves || r.verdict.kind === 'not-runnable' ? '' : ' (VERIFIED FIX FAILED)'}`;
}
