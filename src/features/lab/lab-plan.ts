import { DEFAULT_N8N_VERSIONS } from '../../parts/images/n8n-versions.ts';
import type { Lab, LabKind } from './lab-catalogue.ts';
import { type LabMeasurement, type LabMeasurements, readLabMeasurements } from './lab-measured.ts';
import { learnerTitle } from './lab-titles.ts';
import { breaksOf, type LabVersions, readLabVersions } from './lab-versions.ts';

export type LabLevel = 'beginner' | 'intermediate' | 'advanced';

/**
 * What makes a lab harder than reading one answer and editing one file: each is a step of its
 * own. None: beginner; one: intermediate; two or more: advanced.
 */
const STEPS: ReadonlyArray<{ step: string; applies: (lab: Lab) => boolean }> = [
  {
    step: "the symptom is in a workflow's execution, n8n's log or a mail n8n sent, not in the answer to a request",
    applies: (lab) => 'workflow' in lab.lab.symptom || 'mailedLink' in lab.lab.symptom || lab.lab.composeLogSymptom !== undefined,
  },
  { step: 'the doctor cannot see it from outside', applies: (lab) => lab.doctorBlind !== undefined },
  { step: "the edit is n8n's environment or clock: n8n is recreated with it", applies: (lab) => lab.lab.kind === 'env' || lab.lab.kind === 'clock' },
  {
    step: 'it happens in an order: a key made before the change, a rotation, a fresh n8n, or n8n that does not start',
    applies: ({ lab }) =>
      lab.composeThen !== undefined ||
      lab.composeKeyExpiresInDays !== undefined ||
      lab.checkOnFreshN8n !== undefined ||
      lab.composeStops !== undefined ||
      ('api' in lab.symptom ? lab.symptom.api.injectedKeyRotated : lab.symptom.injectedKeyRotated) === true,
  },
];

/** The learner's own time per level, in minutes: a planning figure for a first session, not a measurement. */
export const SOLVE_MINUTES: Readonly<Record<LabLevel, number>> = { beginner: 10, intermediate: 20, advanced: 30 };

/** What the learner edits, by kind (the README's table, short). */
export const EDITS: Readonly<Record<LabKind, string>> = {
  'proxy-config': "the proxy's config (docker cp, then a reload)",
  env: "n8n's .env (n8n recreated)",
  credential: "a credential in n8n's editor",
  clock: "n8n's clock offset (n8n recreated)",
  setting: "a setting in n8n's editor",
  client: 'what a client sends (a file it reads on each call)',
};

/** All a trainer plans a session with, for one lab. */
export interface LabPlan {
  id: string;
  title: string;
  kind: LabKind;
  edits: string;
  section: string;
  level: LabLevel;
  /** The steps that set the level (empty for a beginner lab). */
  steps: string[];
  /** Measured start (rounded up to whole minutes) plus the learner's time for the level; undefined where the start was not measured. */
  minutes: number | undefined;
  solveMinutes: number;
  measured: LabMeasurement | undefined;
  /** The versions of the published ledger where the symptom shows, those where it does not, those it has no result for. */
  breaks: string[];
  doesNotBreak: string[];
  notRun: string[];
  /** Where those come from: the published ledger, or (a lab it has no result for yet) the run LabVersions.judgedElsewhere names. */
  breaksSource: 'ledger' | 'elsewhere';
  /** Whether the default version (the newest default) shows the symptom; where not, the version to pass with --n8n. */
  breaksOnDefault: boolean;
  suggestedVersion: string | undefined;
  /** Why the lab has no compose export, where it has none. */
  noExport?: string;
}

export const DEFAULT_LAB_VERSION: string = DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!;

export function levelOf(lab: Lab): { level: LabLevel; steps: string[] } {
  const steps = STEPS.filter((s) => s.applies(lab)).map((s) => s.step);
  return { level: steps.length === 0 ? 'beginner' : steps.length === 1 ? 'intermediate' : 'advanced', steps };
}

/** A lab's plan, from the catalogue, the ledger-derived versions and the measurements shipped with the package. */
export function planOf(lab: Lab, versions: LabVersions, measurements: LabMeasurements | undefined): LabPlan {
  const { level, steps } = levelOf(lab);
  const where = breaksOf(versions, lab.id);
  const measured = measurements?.labs[lab.id];
  const solveMinutes = SOLVE_MINUTES[level];
  const breaksOnDefault = where.breaks.includes(DEFAULT_LAB_VERSION);
  const defaults: readonly string[] = DEFAULT_N8N_VERSIONS;
  return {
    id: lab.id,
    title: learnerTitle(lab),
    kind: lab.lab.kind,
    edits: EDITS[lab.lab.kind],
    section: lab.guide.section,
    level,
    steps,
    minutes: measured ? Math.ceil(measured.startSeconds / 60) + solveMinutes : undefined,
    solveMinutes,
    measured,
    breaks: where.breaks,
    doesNotBreak: versions.ledger.versions.filter((v) => !where.breaks.includes(v) && !where.notRun.includes(v)),
    notRun: where.notRun,
    breaksSource: where.source,
    breaksOnDefault,
    // A default version first (its image is the one a workshop machine builds), else the newest where it breaks.
    suggestedVersion: breaksOnDefault ? undefined : ([...where.breaks].reverse().find((v) => defaults.includes(v)) ?? where.breaks.at(-1)),
    ...(lab.lab.composeRefused ? { noExport: lab.lab.composeRefused } : {}),
  };
}

/** What a plan's numbers come from: the ledger-derived versions and the measurements. */
export interface PlanSources {
  versions: LabVersions;
  measurements: LabMeasurements | undefined;
}

/** Every lab's plan, from the files shipped with the package. */
export function labPlans(labs: Lab[]): { plans: LabPlan[]; sources: PlanSources } {
  const sources = { versions: readLabVersions(), measurements: readLabMeasurements() };
  return { plans: labs.map((lab) => planOf(lab, sources.versions, sources.measurements)), sources };
}
