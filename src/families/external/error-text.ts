import { check } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import type { Judgement, Observation } from '../../core/types.ts';
import { executionError } from '../../core/workflows.ts';
import { bearerCall, type CallState, deployed, editAndRun, EXTERNAL_STACK, runCall, secretOf, sentToProvider, DOCTOR_FROM_EXECUTION } from './support.ts';

// --- the error text the guide quotes --------------------------------------------------------

const QUOTED = ['Authorization failed - please check your credentials', 'Request failed with status code 401'];

function judgeQuotedText(obs: Observation): Judgement {
  const said = executionError(obs.symptom, { whole: true });
  const missing = QUOTED.filter((q) => !said.includes(q));
  return {
    happens: said ? 'yes' : 'no',
    symptomMatches: missing.length === 0 && said !== '',
    answered: !said
      ? 'the execution succeeds'
      : missing.length
        ? `an execution error without the text the guide quotes ("${missing.join('", "')}"); it says: ${said.replace(/\s+/g, ' ').slice(0, 160)}`
        : `the execution error says: ${said.replace(/\s+/g, ' ').slice(0, 160)}`,
    reasons: missing.map((q) => `the execution error does not say "${q}": it says ${said || 'nothing'}`),
  };
}

export const errorText = defineScenario<CallState>({
  id: 'external.error-text',
  title:
    'a 401 from a third-party API shows in the execution as "Authorization failed - please check your credentials" / "Request failed with status code 401"',
  guide: {
    section: 'A',
    claim: 'the execution log says "Authorization failed - please check your credentials" and "Request failed with status code 401"',
    fix: '',
  },
  predicts: { outcome: 'rejected', says: QUOTED[0] },
  stack: EXTERNAL_STACK,
  fault: (ctx) => deployed(ctx, bearerCall('bearer-api', '/v1/me', 'GET')(ctx, 'Bearer not-the-token')),
  symptom: (ctx, state) => runCall(ctx, state, 'a wrong key'),
  proveFromRequest: (symptom) => [
    check(
      'the provider refused the key with 401',
      sentToProvider(symptom)?.response?.status === 401,
      `${sentToProvider(symptom)?.response?.status ?? 'no request'}`,
    ),
  ],
  judge: judgeQuotedText,
  doctor: DOCTOR_FROM_EXECUTION,
  remedies: [
    editAndRun(
      'the right key',
      'correct',
      (ctx) => ({ type: 'httpHeaderAuth', name: 'Authorization', value: `Bearer ${secretOf(ctx, 'BEARER_API_TOKEN')}` }),
      'the right key',
    ),
  ],
});
