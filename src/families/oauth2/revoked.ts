import { defineScenario } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check } from '../../core/probes.ts';
import { connectCredential, deployOAuth2Call, OAUTH2_STACK, type OAuth2Call, oauthServer, runApiCall } from './support.ts';

export const revokedRefreshToken = defineScenario<OAuth2Call>({
  id: 'oauth2.revoked-refresh-token',
  title: 'an OAuth2 credential whose grant the user revoked at the provider fails its next run: "needs to be reconnected"',
  guide: {
    section: NOT_IN_GUIDE,
    claim: 'n8n: "The credential \\"X\\" needs to be reconnected." when the refresh token was revoked (invalid_grant)',
    fix: 'reconnect the credential (a new grant)',
  },
  predicts: { outcome: 'other', says: 'needs to be reconnected' },
  stack: OAUTH2_STACK,
  fault: async (ctx) => {
    const { proof, state } = await deployOAuth2Call(ctx, { expiredStatus: 401 });
    const revoked = await oauthServer(ctx).revokeGrants();
    return {
      proof: [
        ...proof,
        check("the provider revoked the credential's grant with its access and refresh tokens", revoked.length > 0, `grants revoked: ${revoked.join(', ')}`),
      ],
      state,
    };
  },
  symptom: (ctx, call) => runApiCall(ctx, call, 'the workflow, its grant revoked at the provider'),
  remedies: [
    {
      name: "reconnect the credential (a new grant through n8n's callback)",
      source: 'guide',
      apply: async (ctx, call) => [await connectCredential(ctx, call.credentialId)],
      probe: (ctx, call) => runApiCall(ctx, call, 'the workflow, the credential reconnected'),
    },
  ],
  // The newest execution only: this scenario's run (the stack's other workflows have runs of their own).
  doctor: { names: 'oauth2-refresh-refused', input: () => ({ executions: { limit: 1 } }) },
});
