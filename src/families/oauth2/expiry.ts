import { defineScenario } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { judgeByOutcome } from '../../core/judgement.ts';
import { check } from '../../core/probes.ts';
import type { AnyScenario, Judgement, Observation, Prediction, Remedy, ScenarioInfo } from '../../core/types.ts';
import {
  connectCredential,
  deployOAuth2Call,
  editCredential,
  OAUTH2_STACK,
  type OAuth2Call,
  recordedTokenLines,
  runApiCall,
  waitPastExpiry,
} from './support.ts';
import { countTokenLines } from './token-events.ts';

/** The fault is in the third party's API and n8n's stored credential: nothing an outside probe of n8n sees. */
export const OAUTH2_DOCTOR_BLIND =
  "the expired token and its refresh live between n8n's stored credential and the third party's authorization server: n8n's own endpoints answer as usual";

/** A run succeeded only with a refresh grant in the provider's log: the control's claim is that n8n refreshed. */
function judgeRefreshed(obs: Observation, predicts: Prediction): Judgement {
  const judged = judgeByOutcome(obs, predicts);
  const { refreshes } = countTokenLines(recordedTokenLines(obs.symptom));
  if (refreshes > 0) return { ...judged, answered: `${judged.answered}; the provider's log shows ${refreshes} refresh grant(s)` };
  return { ...judged, happens: 'yes', symptomMatches: false, reasons: [...judged.reasons, "no refresh grant in the provider's log"] };
}

/** The remedy's run shows the refresh grant the fix is about. */
const refreshedInLog = (exchanges: Parameters<NonNullable<Remedy<OAuth2Call>['verify']>>[0]) => {
  const counts = countTokenLines(recordedTokenLines(exchanges));
  return [
    check(
      "the provider's log shows n8n's refresh grant",
      counts.refreshes > 0,
      `${counts.refreshes} refresh grant(s), API answered ${counts.apiStatuses.join(', ') || 'nothing'}`,
    ),
  ];
};

const refreshOn401 = defineScenario<OAuth2Call>({
  id: 'oauth2.refresh-on-401',
  title: 'an OAuth2 credential whose access token expired is refreshed when the API answers 401, and the call succeeds',
  guide: {
    section: NOT_IN_GUIDE,
    claim: "users are told n8n refreshes an OAuth2 credential's expired access token by itself (the control: the API answers 401)",
    fix: '',
  },
  predicts: { outcome: 'accepted' },
  stack: OAUTH2_STACK,
  fault: async (ctx) => {
    const { proof, state } = await deployOAuth2Call(ctx, { expiredStatus: 401 });
    return { proof: [...proof, await waitPastExpiry(ctx)], state };
  },
  symptom: (ctx, call) => runApiCall(ctx, call, 'the workflow, its access token expired (the API answers 401)'),
  judge: judgeRefreshed,
  remedies: [
    {
      name: 'nothing to fix: once it expired again, the next run refreshes with the rotated refresh token n8n stored',
      source: 'correct',
      apply: async (ctx) => [await waitPastExpiry(ctx)],
      probe: (ctx, call) => runApiCall(ctx, call, 'the workflow again, the refreshed token expired too'),
      verify: refreshedInLog,
    },
  ],
  doctorBlind: OAUTH2_DOCTOR_BLIND,
});

/** A provider whose API signals an expired token with another status than n8n's default 401. */
type SignalledExpiry = Omit<ScenarioInfo, 'stack' | 'doctorBlind' | 'predicts'> & { expiredStatus: 403 | 400; predicts: Prediction };

function signalledExpiry({ expiredStatus, ...info }: SignalledExpiry): AnyScenario {
  return defineScenario<OAuth2Call>({
    ...info,
    stack: OAUTH2_STACK,
    fault: async (ctx) => {
      const { proof, state } = await deployOAuth2Call(ctx, { expiredStatus });
      return { proof: [...proof, await waitPastExpiry(ctx)], state };
    },
    symptom: (ctx, call) => runApiCall(ctx, call, `the workflow, its access token expired (the API answers ${expiredStatus})`),
    remedies: [
      {
        // n8n 2.x's oAuth2Api credential has the field; 1.x has none (the node's own list covers a few named APIs only).
        name: `set the credential's "Token Expired Status Code" to ${expiredStatus}`,
        source: 'guide',
        apply: async (ctx, call) => [await editCredential(ctx, call, { tokenExpiredStatusCode: expiredStatus })],
        probe: (ctx, call) => runApiCall(ctx, call, `the workflow, Token Expired Status Code ${expiredStatus}`),
        verify: refreshedInLog,
      },
      {
        // Works on every version, until the new access token expires in turn: n8n 1.x has nothing durable for this status.
        name: 'reconnect the credential (a new grant: it works until the new access token expires)',
        source: 'correct',
        apply: async (ctx, call) => [await connectCredential(ctx, call.credentialId)],
        probe: (ctx, call) => runApiCall(ctx, call, 'the workflow, the credential reconnected'),
      },
    ],
    doctorBlind: OAUTH2_DOCTOR_BLIND,
  });
}

export const expiryScenarios: AnyScenario[] = [
  refreshOn401,
  signalledExpiry({
    id: 'oauth2.expiry-signalled-403',
    title: 'an API that answers an expired OAuth2 access token with 403 is never refreshed: the execution fails with 403',
    guide: {
      section: NOT_IN_GUIDE,
      claim: 'users: "my OAuth2 credential stops working when the token expires; the API says 403 and n8n does not refresh it"',
      fix: 'set the credential\'s "Token Expired Status Code" to 403',
    },
    predicts: { outcome: 'forbidden' },
    expiredStatus: 403,
  }),
  signalledExpiry({
    id: 'oauth2.expiry-signalled-400',
    title: 'an API that answers an expired OAuth2 access token with 400 is never refreshed: the execution fails with 400',
    guide: {
      section: NOT_IN_GUIDE,
      claim: 'users: "my OAuth2 credential stops working when the token expires; the API says 400 and n8n does not refresh it"',
      fix: 'set the credential\'s "Token Expired Status Code" to 400',
    },
    predicts: { outcome: 'bad-request' },
    expiredStatus: 400,
  }),
];
