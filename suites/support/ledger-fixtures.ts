import type { Exchange, Outcome } from '../../src/parts/client/exchange.ts';
import type { CatalogueRun } from '../../src/engine/plan.ts';
import type { GuideRef } from '../../src/core/guide-sections.ts';
import type { Observation, Prediction, ScenarioResult } from '../../src/core/types.ts';
import { computeVerdict, judgeByOutcome } from '../../src/core/verdict.ts';
import { registerSecret } from '../../src/base/secrets.ts';

export const V1 = '1.116.2';
export const V2 = '2.41.0';
/** Registered before any result holds it; every rendered ledger must mask it. */
export const FIXTURE_SECRET = registerSecret('ledger-fixture-secret-7f3a9c', 'api-key');

/** A recorded cell; its verdict is computed from it, as the runner computes one. */
export interface CellSpec {
  /** Each symptom exchange's status (undefined: nothing answered) and outcome. */
  symptom: Array<[number | undefined, Outcome]>;
  fixResolves?: boolean;
  /** Whether the guide's fix resolved it (default: it did). */
  guideFixWorks?: boolean;
  section?: GuideRef;
  claim?: string;
  /** What the first symptom exchange sent and got back, and what n8n logged meanwhile. */
  key?: string;
  body?: string;
  log?: string[];
}

function exchange(label: string, [status, outcome]: [number | undefined, Outcome], spec: CellSpec): Exchange {
  return {
    label,
    via: 'raw-socket',
    request: { method: 'GET', url: 'http://n8n:5678/api/v1/workflows', headers: [['X-N8N-API-KEY', spec.key ?? 'masked']] },
    ...(status !== undefined ? { response: { status, body: spec.body ?? '{"message":"unauthorized"}' } } : { error: 'n8n did not start' }),
    outcome,
    ...(spec.log ? { n8nLog: spec.log } : {}),
  };
}

/** A result as the runner records it (but unmasked: the ledger must do the masking). */
export function scenarioResult(id: string, family: string, version: string, spec: CellSpec): ScenarioResult {
  const fix: Exchange = { ...exchange('after the fix', [200, 'accepted'], { ...spec, log: undefined }), response: { status: 200, body: '{"data":[]}' } };
  const predicts: Prediction = { outcome: 'rejected' };
  const observation: Observation = {
    faultProof: [{ what: 'the fault applied', ok: true, evidence: `header sent: ${spec.key ?? 'masked'}` }],
    symptom: spec.symptom.map((s, i) => exchange(`probe ${i + 1}`, s, i === 0 ? spec : { ...spec, log: undefined })),
    alongside: [],
    remedies: [
      { name: 'the guide fix', source: 'guide', checks: [], exchanges: [fix], expect: 'accepted', resolved: spec.guideFixWorks ?? true },
      { name: 'the verified fix', source: 'correct', checks: [], exchanges: [fix], expect: 'accepted', resolved: spec.fixResolves ?? true },
    ],
  };
  return {
    id,
    family,
    title: `the title of ${id}`,
    guide: { section: spec.section ?? '1', claim: spec.claim ?? `the claim of ${id}`, fix: 'the guide fix' },
    predicts,
    version,
    observation,
    verdict: computeVerdict(version, observation, judgeByOutcome(observation, predicts), predicts, spec.section ?? '1'),
    correctFixResolves: spec.fixResolves ?? true,
    durationMs: 1000,
  };
}

export function catalogueRun(versions: string[], results: ScenarioResult[]): CatalogueRun {
  return {
    versions,
    images: Object.fromEntries(versions.map((v) => [v, `n8nio/n8n:${v}`])),
    results: results.filter((r) => versions.includes(r.version)),
    boots: 3,
    startedAt: '2026-11-26T12:00:00.000Z',
    finishedAt: '2026-11-26T12:30:00.000Z',
  };
}

/**
 * Four claims on two versions, recorded out of catalogue order: one that agrees, one whose verdict
 * differs (its exchange holds the registered secret and some HTML), one whose behaviour differs,
 * one with no result on the second version.
 */
export function sampleResults(): ScenarioResult[] {
  return [
    scenarioResult('secrets.env-file-not-mounted', 'secrets', V1, { symptom: [[401, 'rejected']], section: '7', guideFixWorks: false }),
    scenarioResult('secrets.env-file-not-mounted', 'secrets', V2, {
      symptom: [
        [401, 'rejected'],
        [200, 'accepted'],
      ],
      section: '7',
      guideFixWorks: false,
    }),
    scenarioResult('headers.nbsp', 'headers', V1, {
      symptom: [[200, 'accepted']],
      section: '4',
      key: `${FIXTURE_SECRET}\u00a0`,
      body: `<script>alert(1)</script> echoed ${FIXTURE_SECRET}`,
      log: [`debug: API key ${FIXTURE_SECRET} checked`],
    }),
    scenarioResult('headers.nbsp', 'headers', V2, { symptom: [[401, 'rejected']], section: '4' }),
    scenarioResult('endpoints.key-scopes', 'endpoints', V1, { symptom: [[200, 'accepted']], section: 'F', claim: 'a key | a scope' }),
    scenarioResult('headers.missing-header', 'headers', V1, {
      symptom: [
        [401, 'rejected'],
        [401, 'rejected'],
      ],
    }),
    scenarioResult('headers.missing-header', 'headers', V2, {
      symptom: [
        [401, 'rejected'],
        [401, 'rejected'],
      ],
    }),
  ];
}
