import { record, type Exchange } from '../parts/client/exchange.ts';
import { answeredBy, asPredicted, guideSaysOf } from './judgement.ts';
import { check } from './probes.ts';
import type { Check, Judgement, Observation, Prediction, ScenarioContext } from './types.ts';
import { executionError } from './workflows.ts';

/** A credential n8n stores, as the editor sends it: its id, name, type and fields. */
export interface StoredCredential {
  id: string;
  name: string;
  type: string;
  data: Record<string, unknown>;
}

/** n8n's own credential test (the Test button of the credential dialog, through /rest), as a recorded exchange: accepted when it says OK. */
export async function testCredential(ctx: ScenarioContext, credential: StoredCredential): Promise<Exchange> {
  const answer = await ctx.n8n.client.call('POST', '/rest/credentials/test', { body: { credentials: credential } });
  const result = (answer.json as { data?: { status?: string; message?: string } } | undefined)?.data;
  return record({
    label: "n8n's credential test (the dialog's Test button)",
    via: 'client',
    request: { method: 'POST', url: `${ctx.n8n.container.getBaseUrl()}/rest/credentials/test`, headers: [] },
    response: { status: answer.status, body: JSON.stringify(result ?? answer.text.slice(0, 200)) },
    outcome: result?.status === 'OK' ? 'accepted' : 'rejected',
  });
}

/** Replaces a credential's fields, as a user editing it in the editor does. */
export async function saveCredential(ctx: ScenarioContext, { id, ...body }: StoredCredential): Promise<Check[]> {
  const answer = await ctx.n8n.client.updateCredential(id, body);
  return [check('n8n saved the edited credential', answer.status === 200, `PATCH /rest/credentials: ${answer.status}`)];
}

const isCredentialTest = (e: Exchange) => e.request.url.endsWith('/rest/credentials/test');

/** The claim that n8n's credential test is green while the workflow's execution fails as predicted (401 from the API it calls, say). */
export function judgeTestGreenRunFails(obs: Observation, predicts: Prediction): Judgement {
  const test = obs.symptom.find(isCredentialTest);
  const run = obs.symptom.filter((e) => !e.context && !isCredentialTest(e));
  const reasons: string[] = [];
  if (test?.outcome !== 'accepted') reasons.push(`the credential test was not green: ${test?.response?.body ?? 'not run'}`);
  const error = executionError(run);
  if (run.length === 0 || run.some((e) => !asPredicted(e, predicts)))
    reasons.push(`the execution did not fail with ${guideSaysOf(predicts)}: ${error || 'it succeeded'}`);
  const greenTest = test?.outcome === 'accepted' ? 'the credential test is green' : `the credential test answers ${test ? answeredBy([test]) : 'nothing'}`;
  return {
    happens: error ? 'yes' : 'no',
    symptomMatches: reasons.length === 0,
    answered: `${greenTest}; the execution ${error ? `fails: ${error.slice(0, 120)}` : 'succeeds'}`,
    reasons,
  };
}
