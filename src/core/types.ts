import type { Exchange, Outcome } from '../parts/client/exchange.ts';
import type { DoctorInput } from '../parts/diagnosis/doctor.ts';
import type { DoctorObservation, DoctorVerdict } from './doctor-types.ts';
import type { N8nInstance, StackSpec, StartedAuthStack } from '../parts/stack/auth-stack.ts';
import type { GuideRef } from './guide-sections.ts';
import type { MetricsObservation } from '../parts/metrics/observation.ts';

export type { DoctorObservation, DoctorRun, DoctorVerdict } from './doctor-types.ts';

/** The guide's claim a scenario tests, in the guide's own words where it has them. */
export interface GuideClaim {
  /** Section as the guide numbers it ("1", "3.1", "B", "Quick fix", "Q2"), or `not in the guide`. */
  section: GuideRef;
  /** The claim, one line. */
  claim: string;
  /** The guide's fix, one line (empty when the guide gives none). */
  fix: string;
}

/** What the guide says the probe observes while the fault is in place. */
export interface Prediction {
  outcome: Outcome;
  /** Text the guide says the answer (or log) carries. */
  says?: string;
  /**
   * The claimed answer in words, where an outcome and a quoted text cannot say it (a redirect to a
   * named page, then a refusal): what the verdict shows the claim saying. A scenario with it judges
   * with a checker of its own (`judge`).
   */
  answer?: string;
}

/** A fact checked before the symptom is trusted: the fault really applied. */
export interface Check {
  what: string;
  ok: boolean;
  evidence: string;
  /**
   * A fault proof about the n8n version, not the stack (n8n reads the file at all): when only such
   * proofs fail, the fault cannot exist on this version, and the result is not runnable there,
   * not inconclusive.
   */
  prerequisite?: true;
}

/** Everything a scenario's functions may use: the stack it asked for, and a place for files. */
export interface ScenarioContext {
  version: string;
  stack: StartedAuthStack;
  n8n: N8nInstance;
  /** When the scenario started: a stack may be shared, and what ran on it before is not this scenario's. */
  startedAt: Date;
  /** A temporary folder, removed after the scenario. */
  workdir: string;
  /** Progress lines for long steps. */
  progress: (line: string) => void;
  /** Pictures the scenario took of what a browser showed, recorded with its observation. */
  screenshots: Screenshot[];
}

/** A picture of what the browser showed, saved beside the reports. */
export interface Screenshot {
  /** When it was taken: `symptom`, or the fix it shows after (`fix: ...`). */
  phase: string;
  /** What it shows, one line. */
  caption: string;
  /** The PNG's path relative to the reports folder: `screenshots/<id>@<version>-<phase>.png`. */
  file: string;
}

export interface Remedy<S = void> {
  /** What is done, e.g. "trim the value" or "call /api/v1/workflows instead". */
  name: string;
  /**
   * `guide`: the guide's fix (it decides the verdict); `correct`: the fix this project verified
   * where the guide's is wrong or missing (it must work); `tried`: a fix users reach for, recorded
   * with what it does and judged neither way.
   */
  source: 'guide' | 'correct' | 'tried';
  /** Changes the stack when the fix is not in the request itself. */
  apply?: (ctx: ScenarioContext, state: S) => Promise<Check[] | void>;
  /** The probes after the fix; the remedy resolves when each gives `expect` (default: accepted). */
  probe: (ctx: ScenarioContext, state: S) => Promise<Exchange[]>;
  expect?: Outcome;
  /** Further conditions on the probes (what n8n logged, say); the remedy resolves only if they hold. */
  verify?: (exchanges: Exchange[], state: S) => Check[];
}

/** What a fault returns: the proof that it applied, and the state its scenario's later phases receive. */
export type Faulted<S> = [S] extends [void] ? { proof: Check[]; state?: undefined } : { proof: Check[]; state: S };

/** Applies a fault that lives in the stack (env, config, data) and proves it applied. */
export type Fault<S> = (ctx: ScenarioContext) => Promise<Faulted<S>>;

/** What every scenario is, whatever its state: read by the catalogue, the plan, the reports. */
export interface ScenarioInfo {
  /** `<family>.<name>`: the family is the part before the first dot. */
  id: string;
  /** The test name: the guide's claim as a sentence about n8n. */
  title: string;
  guide: GuideClaim;
  predicts: Prediction;
  stack: StackSpec;
  /** Proves a fault that lives in the request itself, from the recorded symptom (the bytes on the wire). */
  proveFromRequest?: (symptom: Exchange[]) => Check[];
  /** Where the default comparison (outcome and text) is not what the claim is about. */
  judge?: (obs: Observation, predicts: Prediction) => Judgement;
  /**
   * The scenario changes its stack for good (its data, database or workers): it gets a stack of
   * its own. Without it, n8n restarted with other env, clock or image is put back after it.
   */
  changesStack?: boolean;
  /** Why the doctor cannot see this fault from outside n8n (it lives in the client's request, or inside a workflow). */
  doctorBlind?: string;
  /**
   * Where the failure lets in someone who does not belong: who, in a few words. The reports mark the
   * row a security finding, and each version's cell where the failure was recorded happening.
   */
  security?: string;
  /** Whom the claimed refusal keeps out (a wrong key, a forged cookie): a cell where n8n let them through is a security finding. */
  refusalKeepsOut?: string;
  /** A training lab (`authlab lab <id>`) whose fault lives in the proxy's site config; labs of other kinds: src/features/lab/lab-catalogue.ts. */
  lab?: LabSpec;
}

/** The phases after the fault, each handed the state the fault returned. */
export interface ScenarioPhases<S> {
  /** The requests a user makes while it is broken. */
  symptom: (ctx: ScenarioContext, state: S) => Promise<Exchange[]>;
  /** Recorded and reported next to the symptom but not judged (what Node's fetch does with the same key). */
  alongside?: (ctx: ScenarioContext, state: S) => Promise<Exchange[]>;
  remedies: Remedy<S>[];
  /** What `authlab doctor`, run from outside while the fault is in place, must name (and, after the fix, that it reports healthy). */
  doctor?: DoctorExpectation<S>;
}

/**
 * A scenario is data plus small functions: the system (stack), the nemesis (fault), the client
 * (probes) and the checker (verdict) stay apart, and the verdict is a function of what was recorded.
 * `S` is what its fault hands the later phases (a key it created, say); a scenario with a state
 * must have a fault, one without (`void`) may have none.
 */
export type Scenario<S = void> = ScenarioInfo & ScenarioPhases<S> & ([S] extends [void] ? { fault?: Fault<void> } : { fault: Fault<S> });

/** A remedy as the catalogue shows it (its state hidden). */
export type RemedyInfo = Pick<Remedy, 'name' | 'source'>;

/** A scenario after its fault: its phases with the fault's state bound, as the runner and a lab use them. */
export interface BrokenScenario {
  proof: Check[];
  symptom: () => Promise<Exchange[]>;
  alongside: () => Promise<Exchange[]>;
  remedies: BoundRemedy[];
  doctorInput: (phase: 'broken' | 'fixed') => Partial<DoctorInput>;
  /** What the fault left for the later phases (its type is the scenario's): a lab hands the learner part of it (a member's TOTP secret, a trigger's password). */
  state: unknown;
}

export interface BoundRemedy extends RemedyInfo {
  apply: () => Promise<Check[]>;
  probe: () => Promise<Exchange[]>;
  expect?: Outcome;
  verify: (exchanges: Exchange[]) => Check[];
}

/**
 * A scenario of any state, as the catalogue holds it (`defineScenario` makes one): what every
 * scenario shows, and `applyFault`, which runs the fault and binds its state into the later phases.
 */
export interface AnyScenario extends ScenarioInfo {
  /** The id's prefix. */
  family: string;
  remedies: RemedyInfo[];
  doctor?: Pick<DoctorExpectation, 'names'>;
  /** Whether it has a fault in the stack (else its proof comes from the request). */
  hasFault: boolean;
  applyFault: (ctx: ScenarioContext) => Promise<BrokenScenario>;
}

export interface LabSpec {
  /** The proxy whose site config the learner edits and reloads. */
  proxy: 'nginx' | 'caddy';
  /** The faulty site, for a compose project (a key it injects is left as a placeholder). */
  faultyConfig: () => Promise<string>;
}

export interface DoctorExpectation<S = void> {
  /** The mode the doctor must name first; decided from the symptom where n8n's answer differs by version. */
  names: DoctorVerdict | { among: DoctorVerdict[]; decide: (symptom: Exchange[]) => DoctorVerdict };
  /** What a user would hand the doctor, by phase (default: n8n's URL, the key as issued, n8n's encryption key). */
  input?: (ctx: ScenarioContext, phase: 'broken' | 'fixed', state: S) => Partial<DoctorInput>;
}

export interface RemedyObservation {
  name: string;
  source: Remedy['source'];
  checks: Check[];
  exchanges: Exchange[];
  expect: Outcome;
  resolved: boolean;
}

/** What was recorded; the verdict is computed from this alone. */
export interface Observation {
  faultProof: Check[];
  symptom: Exchange[];
  alongside: Exchange[];
  remedies: RemedyObservation[];
  doctor?: DoctorObservation;
  /** On a stack with `metrics`: what n8n's own metrics showed of the symptom (evidence; the verdict never reads it). */
  metrics?: MetricsObservation;
  /** What the browser showed, at the symptom and after each fix (browser scenarios). */
  screenshots?: Screenshot[];
}

/**
 * The row's headline, one kind per answer set (see `headlineOf` in verdict.ts). A claim that a
 * failure happens gets one of the first five; a claim that something works gets `works-as-the-guide-says`
 * or `fails-unlike-the-guide`. `not-runnable`: a part the scenario needs cannot be had here.
 */
export type VerdictKind =
  | 'as-the-guide-says'
  | 'answers-otherwise'
  | 'guide-fix-fails'
  | 'answers-otherwise-guide-fix-fails'
  | 'does-not-happen'
  | 'works-as-the-guide-says'
  | 'fails-unlike-the-guide'
  | 'inconclusive'
  | 'not-runnable';

/**
 * What the checker read off the symptom. For a claim that something works, "the failure" is that
 * it does not work.
 */
export interface Judgement {
  /** Does the failure happen: on every judged probe, on none, or only on some (`partly`, under `condition`). */
  happens: 'yes' | 'no' | 'partly';
  /** For `partly`: the probes it happens on, named from the evidence. */
  condition?: string;
  /** Did n8n (or the proxy) answer as the guide says (status, and the text it quotes)? */
  symptomMatches: boolean;
  /** What n8n (or the proxy) answered, short: `403 "Forbidden"`, `n8n refuses to start: ...`. */
  answered: string;
  reasons: string[];
}

/** The four questions every result answers; the headline follows from them. */
export interface VerdictAnswers {
  /** Does the failure happen (for a claim that something works: does it fail)? */
  happens: Judgement['happens'];
  condition?: string;
  /** Does n8n (or the proxy) answer as the guide says? null when the failure does not happen. */
  answersAsGuideSays: boolean | null;
  /** What the guide says n8n answers: `401`, `401 saying "..."`, `200`. */
  guideSays: string;
  answered: string;
  /** Does the guide's fix resolve it? `none-given`: the guide gives no fix for it. */
  guideFix: 'resolves' | 'fails' | 'none-given';
  /** The first fix this project verified (it resolved the fault); null when none did. */
  verifiedFix: string | null;
  /**
   * Who makes the claim: absent for the guide; `users` for a failure mode the guide does not cover,
   * whose claim is what users commonly believe or n8n's own message, and whose "guide's fix" is the fix users are told.
   */
  claimedBy?: 'users';
}

export interface Verdict {
  kind: VerdictKind;
  /** The row's headline in words a reader cannot misread: "real; answers 403, not 401". */
  headline: string;
  /** Absent where the scenario did not run far enough to answer them (inconclusive, not runnable). */
  answers?: VerdictAnswers;
  /** "n8n 2.41.0: real; answers 403, not 401 (...)": the headline with its version and first reason. */
  summary: string;
  reasons: string[];
}

export interface ScenarioResult {
  id: string;
  /** A catalogue family (`FamilyId` in src/families/registry.ts), or the id prefix of a scenario of one's own. */
  family: string;
  title: string;
  guide: GuideClaim;
  predicts: Prediction;
  /** The scenario's `security` and `refusalKeepsOut` (src/engine/report/security-finding.ts reads them). */
  security?: string;
  refusalKeepsOut?: string;
  version: string;
  observation: Observation;
  verdict: Verdict;
  /** Every remedy marked `correct` resolved the fault (the project's own fix must work). */
  correctFixResolves: boolean;
  durationMs: number;
  /** Set when the scenario itself could not run (the stack failed, a probe threw). */
  error?: string;
}
