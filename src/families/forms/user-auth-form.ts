import { triggerProof, triggerScenario } from './factory.ts';
import { formAuthOffered } from './node-types.ts';
import { judgeSignInRedirect, SIGN_IN_CLAIM } from './sign-in-judge.ts';
import { signedInVisit } from './sign-in-walk.ts';
import { basicAuthHeader, deployTrigger } from './triggers.ts';

const noCookie = (l: string[]) => !l.some((x) => /^(cookie|authorization):/i.test(x));

/**
 * A Form Trigger set to "n8n User Auth" ("Require user to be logged in with their n8n account",
 * Form Trigger 2.6 on 2.x; n8n 1.x's Form Trigger has no such option: not runnable there), visited
 * by someone not signed in to n8n: where the GET sends them, and what the submission gets.
 */
export const formUserAuthRedirect = triggerScenario({
  id: 'forms.form-user-auth-redirect',
  refusalKeepsOut: 'a visitor not signed in to n8n',
  title: 'a Form Trigger with n8n User Auth sends a visitor not signed in to n8n away to sign in, and refuses the submission with 401',
  guide: {
    section: 'not in the guide',
    claim:
      'a Form Trigger set to n8n User Auth ("Require user to be logged in with their n8n account") redirects a visitor not signed in to n8n to its sign-in page (302 to /signin) and answers a submission without a session 401',
    fix: 'sign in to n8n first, in the same browser, then open the form',
  },
  predicts: { outcome: 'rejected', answer: SIGN_IN_CLAIM },
  judge: judgeSignInRedirect,
  trigger: { kind: 'form', auth: 'n8nUserAuth' },
  nodeVersion: (ctx) => formAuthOffered(ctx, 'n8nUserAuth'),
  symptom: [
    {
      call: () => ({ label: 'GET the form, not signed in to n8n (no cookie)', method: 'GET' }),
      proves: { what: 'the visit carried no cookie and no Authorization', test: noCookie },
    },
    { call: () => ({ label: 'POST the form, not signed in to n8n (no cookie)', method: 'POST' }) },
  ],
  remedies: [
    // First: the doctor, handed the visitor's request after the first fix that worked, reads the form as it is then.
    {
      name: "switch the form's authentication to Basic Auth and open it with the credential's user and password",
      source: 'correct',
      apply: async (ctx, state) => {
        state.trigger = await deployTrigger(ctx, {
          kind: 'form',
          auth: 'basicAuth',
          typeVersion: state.deployed.typeVersion,
          path: 'authlab-form-user-auth-basic',
        });
        return triggerProof(ctx, state.trigger);
      },
      call: (_ctx, t) => ({
        label: "GET the Basic Auth form with the credential's user and password",
        method: 'GET',
        headers: [basicAuthHeader(t.user, t.password)],
      }),
    },
    {
      name: 'sign in to n8n first, in the same browser (its cookies kept, redirects followed), then open and submit the form',
      source: 'guide',
      walk: (ctx, state) => signedInVisit(ctx, state.deployed),
    },
  ],
  doctorNames: 'form-sign-in-required',
});
