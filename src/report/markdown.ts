import type { CatalogueRun } from '../scenarios/plan.ts';
import { familyHeading } from '../scenarios/catalogue.ts';
import type { ScenarioResult } from '../scenarios/types.ts';
import { mask } from '../secrets.ts';
import { CELL_VERDICTS, VERDICT_LABEL } from './ledger.ts';
import { answerLines, briefHeadline, evidenceLines } from '../scenarios/verdict.ts';

export const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** A Markdown page: per family, a row per guide claim with each version's verdict and its evidence. */
export function toMarkdown(run: CatalogueRun): string {
  const lines: string[] = [`# n8n-authlab findings`, '', `Run ${run.startedAt} → ${run.finishedAt}; n8n ${run.versions.join(', ')}; ${run.boots} n8n boot(s).`, ''];
  const kinds = CELL_VERDICTS.filter((k) => run.results.some((r) => r.verdict.kind === k));
  lines.push(`| n8n | ${kinds.map((k) => VERDICT_LABEL[k]).join(' | ')} |`, `|---|${kinds.map(() => '---').join('|')}|`);
  for (const v of run.versions) lines.push(`| ${v} | ${kinds.map((k) => run.results.filter((r) => r.version === v && r.verdict.kind === k).length).join(' | ')} |`);
  lines.push('');
  const families = [...new Set(run.results.map((r) => r.family))];
  for (const family of families) {
    const heading = familyHeading(family);
    lines.push(`## ${heading.title} (guide ${heading.sections})`, '');
    lines.push(`| § | scenario | the guide's claim | the guide's fix | ${run.versions.map((v) => `n8n ${v}`).join(' | ')} |`);
    lines.push(`|---|---|---|---|${run.versions.map(() => '---').join('|')}|`);
    const ids = [...new Set(run.results.filter((r) => r.family === family).map((r) => r.id))];
    for (const id of ids) {
      const per = run.versions.map((v) => run.results.find((r) => r.id === id && r.version === v));
      const any = per.find(Boolean)!;
      lines.push(`| ${any.guide.section} | \`${id}\`: ${cellText(any.title)} | ${cellText(any.guide.claim)} | ${cellText(any.guide.fix || '—')} | ${per.map(verdictCell).join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('## Evidence', '', 'Per scenario and version: the fault proof, what was sent and answered, and each fix.', '');
  for (const r of run.results) {
    lines.push(`<details><summary><code>${r.id}</code> on n8n ${r.version}: ${briefHeadline(r.verdict.kind, r.verdict.answers)}</summary>`, '', '```');
    lines.push(...[...answerLines(r.verdict.answers), ...evidenceLines(r.observation)].map((l) => l.replace(/\s+/g, ' ').slice(0, 400)));
    lines.push('```', '', '</details>', '');
  }
  return `${mask(lines.join('\n'))}\n`;
}

function verdictCell(r: ScenarioResult | undefined): string {
  if (!r) return '—';
  return `**${briefHeadline(r.verdict.kind, r.verdict.answers)}**: ${cellText(r.verdict.headline).slice(0, 260)}`;
}
