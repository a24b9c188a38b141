import { defineScenario } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check } from '../../core/probes.ts';
import type { Check, Judgement, Observation, Remedy, ScenarioContext } from '../../core/types.ts';
import { executionError } from '../../core/workflows.ts';
import type { Exchange } from '../../parts/client/exchange.ts';
import { ENV_ACCESS_DENIED } from '../../parts/diagnosis/executions.ts';
import { EXTERNAL_STACK } from '../external/support.ts';
import {
  apiToken,
  BLOCK,
  deployEnvCall,
  ENV_NAME,
  type EnvCallState,
  envOf,
  envProof,
  FROM_ENV,
  keyInCredential,
  reachedApi,
  restartWith,
  runEnvCall,
  setting,
  storeInCredential,
} from './support.ts';

const DENIED = 'access to env vars denied';
const short = (text: string) => text.replace(/\s+/g, ' ').slice(0, 200);
const executionSucceeded = (run: Exchange[]) => run.some((e) => e.request.url.includes('/api/v1/executions') && e.outcome === 'accepted');

/**
 * The block as n8n runs it: where this version's own default already blocks `$env` (the first run
 * fails on it), nothing is changed; where the first run read API_KEY, n8n is restarted with
 * N8N_BLOCK_ENV_ACCESS_IN_NODE=true, as an administrator who blocks it does.
 */
async function blockedAsRunning(ctx: ScenarioContext, state: EnvCallState): Promise<Check[]> {
  const before = await envOf(ctx.n8n.container, BLOCK);
  const first = await runEnvCall(ctx, state, `a first run on n8n as it booted (${setting(before)})`);
  const said = executionError(first);
  const what = 'n8n blocks $env in expressions';
  if (ENV_ACCESS_DENIED.test(executionError(first, { whole: true })))
    return [check(what, true, `${setting(before)}: this version's default; a first run's execution failed: ${short(said)}`)];
  if (!executionSucceeded(first))
    return [check(what, false, `${setting(before)}; a first run failed on something else: ${short(said) || 'no execution read'}`)];
  const reached = reachedApi(first)[0]?.response?.status ?? 'nothing';
  const restarted = await restartWith(ctx, state, { env: { [BLOCK]: 'true' } }, 'true');
  return [
    check(
      `${what}: ${BLOCK}=true, set because this version's default let a first run read ${ENV_NAME}`,
      restarted.ok,
      `${setting(before)}: a first run's execution succeeded (the API answered ${reached}); ${restarted.evidence}`,
    ),
  ];
}

/** The claim: the execution fails with n8n's "access to env vars denied", and nothing reaches the API. */
function judgeDenied(obs: Observation): Judgement {
  const said = executionError(obs.symptom);
  const reached = reachedApi(obs.symptom).length;
  const denied = ENV_ACCESS_DENIED.test(executionError(obs.symptom, { whole: true }));
  const reasons: string[] = [];
  if (said && !denied) reasons.push(`the execution fails, not with "${DENIED}": ${short(said)}`);
  if (reached) reasons.push(`${reached} request(s) reached the API`);
  const api = reached ? `${reached} request(s) reached the API` : 'nothing reached the API';
  return {
    happens: said ? 'yes' : 'no',
    symptomMatches: denied && reached === 0,
    answered: said ? `the execution fails: ${short(said)}; ${api}` : `the execution succeeds: n8n read ${ENV_NAME}; ${api}`,
    reasons,
  };
}

/** The credential back on `$env` and n8n restarted with the block's setting changed: a fix that keeps reading the variable. */
function changeBlock(name: string, source: Remedy['source'], to: string | null): Remedy<EnvCallState> {
  return {
    name,
    source,
    apply: async (ctx, state) => {
      const stored = await storeInCredential(ctx, state, FROM_ENV);
      const now = await envOf(ctx.n8n.container, BLOCK);
      if (to === null && !now)
        return [...stored, check(`${BLOCK} removed`, true, `it is not set: the block is this version's default, there is nothing to remove`)];
      const change = to === null ? { unset: [BLOCK] } : { env: { [BLOCK]: to } };
      return [...stored, await restartWith(ctx, state, change, to ?? '')];
    },
    probe: (ctx, state) => runEnvCall(ctx, state, `${ENV_NAME} read with ${setting(to ?? '')}`),
  };
}

export const credentialEnvDenied = defineScenario<EnvCallState>({
  id: 'env-access.credential-env-denied',
  title: `a credential field reading {{ $env.${ENV_NAME} }} fails its workflow with "${DENIED}" where n8n blocks $env (2.x by default), and nothing reaches the API`,
  guide: {
    section: NOT_IN_GUIDE,
    claim: `n8n: "${DENIED}" when an expression reads $env and ${BLOCK} blocks it (true by default from 2.0); users are told to set it to false`,
    fix: `${BLOCK}=false and restart n8n`,
  },
  predicts: { outcome: 'other', says: DENIED },
  stack: EXTERNAL_STACK,
  fault: async (ctx) => {
    const state = await deployEnvCall(ctx);
    const variable = await envProof(ctx.n8n.container, 'n8n', apiToken(ctx), true);
    return { proof: [variable, ...(await blockedAsRunning(ctx, state))], state };
  },
  symptom: (ctx, state) => runEnvCall(ctx, state, `the credential reading $env.${ENV_NAME}`),
  judge: judgeDenied,
  remedies: [
    keyInCredential(),
    changeBlock(`unset ${BLOCK} and restart n8n`, 'tried', null),
    changeBlock(
      `${BLOCK}=false and restart n8n (a security trade-off: every workflow, and so everyone who may edit one, can then read all of n8n's env, N8N_ENCRYPTION_KEY included)`,
      'guide',
      'false',
    ),
  ],
  doctor: { names: 'env-access-denied' },
});
