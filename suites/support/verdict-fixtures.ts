import { outcomeOf, type Exchange } from '../../src/parts/client/exchange.ts';
import type { GuideRef } from '../../src/core/guide-sections.ts';
import { judgeByOutcome } from '../../src/core/judgement.ts';
import type { Observation, Prediction, RemedyObservation } from '../../src/core/types.ts';
import { computeVerdict } from '../../src/core/verdict.ts';

// The answers below are what real n8n answered in the last full test run (docs/findings.md).
export const UNAUTHORIZED_1X = '{"message":"unauthorized"}';
export const UNAUTHORIZED_2X = '{"message":"Unauthorized"}';
export const WORKFLOWS = '{"data":[],"nextCursor":null}';
export const EDITOR = '<!DOCTYPE html> <html lang="en"> <head> <meta charset="utf-8" />';

/** An answer n8n gave, its outcome as the client classes it. */
export const answer = (label: string, status: number, body: string): Exchange => ({
  label,
  via: 'raw-socket',
  request: { method: 'GET', url: 'http://n8n:5678/api/v1/workflows', headers: [] },
  response: { status, body },
  outcome: outcomeOf(status, body),
});
/** A request that got no answer. */
export const notSent = (label: string, error: string): Exchange => ({
  label,
  via: 'node-fetch',
  request: { method: 'GET', url: 'http://n8n:5678/api/v1/workflows', headers: [] },
  error,
  outcome: 'not-sent',
});

/** A fix of `source` that resolved the fault or not. */
export const fix = (source: RemedyObservation['source'], name: string, resolved: boolean): RemedyObservation => ({
  name,
  source,
  checks: [],
  exchanges: [answer(name, resolved ? 200 : 401, resolved ? WORKFLOWS : UNAUTHORIZED_2X)],
  expect: 'accepted',
  resolved,
});

/** The verdict computed from a symptom and its fixes, as on 2.41.0, the fault shown to apply. */
export function verdictOf(predicts: Prediction, symptom: Exchange[], remedies: RemedyObservation[], section: GuideRef = '1') {
  const obs: Observation = { faultProof: [{ what: 'the fault applied', ok: true, evidence: 'seen on the wire' }], symptom, alongside: [], remedies };
  return computeVerdict('2.41.0', obs, judgeByOutcome(obs, predicts), predicts, section);
}
