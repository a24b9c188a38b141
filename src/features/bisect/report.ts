import semver from 'semver';
import { COMPARED_FIELDS, type Compared } from './compared.ts';
import { releaseNotesUrl } from './releases.ts';
import type { BisectResult } from './search.ts';
import type { ReleaseTry } from './try-release.ts';

/** A bisect's outcome, as bisect.json holds it. */
export interface BisectReport {
  scenario: string;
  good: string;
  bad: string;
  /** Which ledger fields were compared, and how (`answers` or `behaviour`). */
  compared: { by: Compared; fields: string };
  /** Releases searched between --good and --bad (both excluded). */
  releasesBetween: number;
  firstDiffering?: { version: string; releaseNotes: string };
  lastSame: string;
  /** When skipped releases leave it open: the change is in one of these. */
  candidates: string[];
  skipped: BisectResult['skipped'];
  /** Every release tried, in semver order. */
  tried: Array<{
    version: string;
    role: 'good' | 'bad' | 'step';
    step?: number;
    outcome: 'same' | 'differs' | 'skipped';
    compared?: string;
    headline?: string;
    answered?: string;
    image?: ReleaseTry['image'];
    runSeconds?: number;
    reason?: string;
  }>;
  /** Written after each step while the search goes on: the change is after lastSame and at or before the last candidate. */
  inProgress?: true;
  imagesBuilt: string[];
  imagesRemoved: string[];
  startedAt: string;
  wallSeconds: number;
}

/** The Markdown page of a bisect (bisect.md). */
export function bisectMarkdown(r: BisectReport): string {
  const lines = [`# Bisect of \`${r.scenario}\`: n8n ${r.good} (good) .. ${r.bad} (bad)`, ''];
  if (r.inProgress)
    lines.push(
      `**In progress:** the change is after n8n ${r.lastSame} and at or before n8n ${r.candidates.at(-1)} (${r.candidates.length - 1} release(s) between, skipped ones included).`,
    );
  else if (r.firstDiffering)
    lines.push(
      `**First release whose behaviour differs from ${r.good}'s: n8n ${r.firstDiffering.version}** ([release notes](${r.firstDiffering.releaseNotes})); the last that behaves as ${r.good}: n8n ${r.lastSame}.`,
    );
  else
    lines.push(
      `**The change is in one of ${r.candidates.join(', ')}** (skipped releases sit between n8n ${r.lastSame}, which behaves as ${r.good}, and the first that differs).`,
    );
  lines.push(
    '',
    `Compared: ${r.compared.by} (the ledger cell's ${r.compared.fields}). ${r.releasesBetween} releases served between the two; ${r.tried.length - 2} tried besides them; wall time ${Math.round(r.wallSeconds)} s (started ${r.startedAt}).`,
    '',
    '| n8n | tried as | image | outcome | compared | what n8n answered |',
    '|---|---|---|---|---|---|',
  );
  for (const t of r.tried) {
    const image = t.image ? `${t.image.how} \`${t.image.tag}\` (${t.image.seconds} s), run ${t.runSeconds ?? '?'} s` : '';
    const role = t.role === 'step' ? `step ${t.step}` : `--${t.role}`;
    lines.push(`| ${t.version} | ${role} | ${image} | ${t.outcome} | ${cell(t.compared ?? t.reason ?? '')} | ${cell(t.answered ?? '')} |`);
  }
  lines.push('');
  if (r.skipped.length) lines.push(`Skipped: ${r.skipped.map((s) => `${s.version} (${s.reason})`).join('; ')}.`, '');
  lines.push(`Images built: ${r.imagesBuilt.join(', ') || 'none'}; removed: ${r.imagesRemoved.join(', ') || 'none'}.`, '');
  return `${lines.join('\n')}`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 300);

/** The report of a finished bisect, from the search and each try. */
export function bisectReport(input: {
  scenario: string;
  by: Compared;
  releases: string[];
  good: ReleaseTry;
  bad: ReleaseTry;
  result: BisectResult;
  tries: Map<string, ReleaseTry>;
  removed: string[];
  startedAt: Date;
  inProgress?: boolean;
}): BisectReport {
  const { releases, result } = input;
  const good = releases[0]!;
  const bad = releases.at(-1)!;
  const steps = new Map(result.steps.map((s, i) => [s.version, { ...s, step: i + 1 }]));
  const tried = [...input.tries.values()]
    .sort((a, b) => semver.compare(a.version, b.version))
    .map((t) => {
      const step = steps.get(t.version);
      const role = t.version === good ? 'good' : t.version === bad ? 'bad' : 'step';
      const outcome = step?.outcome ?? (t.version === good ? 'same' : 'differs');
      return {
        version: t.version,
        role,
        ...(step ? { step: step.step } : {}),
        outcome,
        ...(t.probe.kind === 'judged' ? { compared: t.probe.behaviour } : { reason: t.probe.reason }),
        ...(t.result ? { headline: t.result.verdict.headline, answered: t.result.verdict.answers?.answered ?? '' } : {}),
        ...(t.image ? { image: t.image } : {}),
        ...(t.runSeconds !== undefined ? { runSeconds: t.runSeconds } : {}),
      } satisfies BisectReport['tried'][number];
    });
  return {
    scenario: input.scenario,
    good,
    bad,
    compared: { by: input.by, fields: COMPARED_FIELDS[input.by] },
    releasesBetween: releases.length - 2,
    ...(input.inProgress ? { inProgress: true as const } : {}),
    ...(result.firstDiffering && !input.inProgress
      ? { firstDiffering: { version: result.firstDiffering, releaseNotes: releaseNotesUrl(result.firstDiffering) } }
      : {}),
    lastSame: result.lastSame,
    candidates: result.candidates,
    skipped: result.skipped,
    tried,
    imagesBuilt: [...input.tries.values()].flatMap((t) => t.made.map((m) => m.tag)),
    imagesRemoved: input.removed,
    startedAt: input.startedAt.toISOString(),
    wallSeconds: (Date.now() - input.startedAt.getTime()) / 1000,
  };
}
