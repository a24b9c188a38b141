import type { LabMeasurements } from '../features/lab/lab-measured.ts';
import { DEFAULT_LAB_VERSION, type LabPlan, type PlanSources, SOLVE_MINUTES } from '../features/lab/lab-plan.ts';

const day = (iso: string) => iso.slice(0, 10);

/** The range of the machine's load while the labs started: a shared machine's starts slow down with it. */
function loads(m: LabMeasurements): string {
  const all = Object.values(m.labs).flatMap((l) => (l.load === undefined ? [] : [l.load]));
  return all.length ? `, shared: 1-minute load ${Math.min(...all)} to ${Math.max(...all)}` : '';
}

/** The versions where a lab breaks; † where they come from another run than the ledger's. */
/** The days labs measured later than the file's date were measured on, and how many. */
function laterDays(m: LabMeasurements): string {
  const days = Object.values(m.labs).flatMap((l) => (l.measuredAt && day(l.measuredAt) !== day(m.measuredAt) ? [day(l.measuredAt)] : []));
  return [...new Set(days)].map((d) => `; ${days.filter((x) => x === d).length} labs ${d}`).join('');
}

function breaksOn(p: LabPlan, all: string[]): string {
  const mark = `${p.breaksOnDefault ? '' : ' *'}${p.breaksSource === 'elsewhere' ? ' †' : ''}`;
  if (p.breaks.length === all.length) return `all ${all.length}`;
  if (!p.breaks.length) return `none${mark}`;
  return `${p.breaks.join(',')}${mark}`;
}

/** The lines above the table: what each column is and where its numbers come from. */
function header(plans: LabPlan[], src: PlanSources): string[] {
  const { ledger } = src.versions;
  const m = src.measurements;
  const solve = Object.entries(SOLVE_MINUTES)
    .map(([level, min]) => `${min} ${level}`)
    .join(', ');
  return [
    `${plans.length} labs: break it, diagnose it, fix it. One seat is one running lab.`,
    `LEVEL: steps beyond one answer and one edit (0 beginner, 1 intermediate, 2+ advanced; --details names them).`,
    m
      ? `MIN: the lab's start, measured warm, one lab at a time (${day(m.measuredAt)}${laterDays(m)}, ${m.machine.cores} cores${loads(m)}), plus the learner's time (${solve}: a planning figure).`
      : 'MIN: not measured in this installation (no fixtures/labs/lab-measured.json).',
    m ? `MiB: the lab's containers right after the start (docker stats), measured the same day.` : 'MiB: not measured.',
    `BREAKS ON: the n8n versions of the published ledger (${ledger.versions.join(', ')}; run ${day(ledger.finishedAt)}) where the symptom shows.`,
    ...(plans.some((p) => p.breaksSource === 'elsewhere') && src.versions.judgedElsewhere
      ? [
          `  † not on the published ledger yet: the versions ${src.versions.judgedElsewhere.source} judged (${src.versions.judgedElsewhere.versions.join(', ')}).`,
        ]
      : []),
    '',
  ];
}

/** `authlab lab list`: a header, then a row per lab, then how to start a lab the default version does not break. */
export function labTable(plans: LabPlan[], src: PlanSources): string[] {
  const all = src.versions.ledger.versions;
  const head = ['LAB', 'KIND', 'LEVEL', 'MIN', 'MiB', 'BREAKS ON', 'WHAT THE LEARNER SEES'];
  const rows = plans.map((p) => [
    p.id,
    p.kind,
    p.level,
    p.minutes === undefined ? '?' : String(p.minutes),
    // A lab whose fault stops n8n has nothing running right after its start.
    p.measured ? (p.measured.memoryMiB === 0 ? 'stopped' : String(p.measured.memoryMiB)) : '?',
    breaksOn(p, all),
    p.title,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const right = new Set([3, 4]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const elsewhere = plans.filter((p) => !p.breaksOnDefault);
  return [
    ...header(plans, src),
    line(head),
    ...rows.map(line),
    ...(elsewhere.length ? ['', `* not broken on n8n ${DEFAULT_LAB_VERSION}, the default: start these with --n8n`] : []),
    ...elsewhere.map((p) => `  authlab lab ${p.id} --n8n ${p.suggestedVersion ?? '<a version where it breaks>'}`),
    '',
    'More per lab: authlab lab list --details (or --json); the hints without Docker: authlab lab <id> --hints',
  ];
}

/** `authlab lab list --details`: a block per lab. */
export function labDetails(plans: LabPlan[], src: PlanSources): string[] {
  return [
    ...header(plans, src),
    ...plans.flatMap((p) => {
      const m = p.measured;
      const start = p.suggestedVersion ? `authlab lab ${p.id} --n8n ${p.suggestedVersion}` : `authlab lab ${p.id}`;
      return [
        `${p.id}: ${p.title}`,
        `  kind:       ${p.kind}; the learner edits ${p.edits}; guide section ${p.section}`,
        `  level:      ${p.level}${p.steps.length ? `: ${p.steps.join('; ')}` : ': one answer to read, one file to edit'}`,
        `  time:       ${m ? `start ${m.startSeconds} s (measured on n8n ${m.version}${m.measuredAt ? ` on ${day(m.measuredAt)}` : ''}${m.load === undefined ? '' : `, 1-minute load ${m.load}`}) + ${p.solveMinutes} min for the learner (planning figure) = ${p.minutes} min` : `start not measured + ${p.solveMinutes} min for the learner (planning figure)`}`,
        `  memory:     ${m ? `${m.memoryMiB} MiB${m.memoryMiB === 0 ? ' (nothing runs while it is broken: the fault stops n8n; fixed, it runs an n8n)' : ''} in ${m.containers} container(s)${m.images ? ` (${m.images.join(', ')})` : ''}, measured on n8n ${m.version}` : 'not measured'}`,
        `  breaks on:  ${p.breaks.join(', ') || 'none'}${p.doesNotBreak.length ? `; not on ${p.doesNotBreak.join(', ')}` : ''}${p.notRun.length ? `; no result for ${p.notRun.join(', ')}` : ''}${p.breaksSource === 'elsewhere' ? ` (not on the published ledger yet: ${src.versions.judgedElsewhere?.source})` : ''}`,
        `  start:      ${start}    hints: authlab lab ${p.id} --hints    export: ${p.noExport ? 'none' : `authlab lab ${p.id} --compose <dir>`}`,
        ...(p.noExport ? [`  no export:  ${p.noExport}`] : []),
        '',
      ];
    }),
  ];
}

/** `authlab lab list --json`: the plans, with what their numbers come from. */
export function labJson(plans: LabPlan[], src: PlanSources): string {
  const sources = {
    ledger: src.versions.ledger,
    judgedElsewhere: src.versions.judgedElsewhere ? { source: src.versions.judgedElsewhere.source, versions: src.versions.judgedElsewhere.versions } : null,
    measured: src.measurements ? { measuredAt: src.measurements.measuredAt, machine: src.measurements.machine } : null,
    solveMinutes: SOLVE_MINUTES,
    defaultVersion: DEFAULT_LAB_VERSION,
  };
  return JSON.stringify({ sources, labs: plans }, null, 2);
}
