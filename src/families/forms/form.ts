import { wrongKeyOf } from '../../core/probes.ts';
import type { AnyScenario } from '../../core/types.ts';
import { type TriggerCase, triggerScenario } from './factory.ts';
import { basicAuthHeader, deployTrigger } from './triggers.ts';
import { triggerProof } from './factory.ts';

const hasAuthorization = (l: string[]) => l.some((x) => /^authorization:/i.test(x));

const REALM = 'WWW-Authenticate: Basic realm="Enter credentials"';
const BASIC_FIX = "open the form with the user and password of the trigger's Basic Auth credential";

/** The call a visitor makes with the credential's user and password: n8n serves the form. */
const rightCredentials: TriggerCase['remedies'][number] = {
  name: "the credential's user and password (Authorization: Basic)",
  source: 'guide',
  call: (_ctx, t) => ({ label: "GET the form with the credential's user and password", method: 'GET', headers: [basicAuthHeader(t.user, t.password)] }),
};

/** A Form Trigger (v2.2, on both versions) with Basic Auth, visited as the case says. */
function basicForm(c: Pick<TriggerCase, 'id' | 'title' | 'guide' | 'symptom' | 'refusalKeepsOut'>): AnyScenario {
  return triggerScenario({
    predicts: { outcome: 'rejected', says: REALM },
    trigger: { kind: 'form', auth: 'basicAuth' },
    remedies: [rightCredentials],
    doctorNames: 'form-auth-refused',
    ...c,
  });
}

const formBasicMissing = basicForm({
  id: 'forms.form-basic-auth-missing',
  refusalKeepsOut: 'a visitor without credentials',
  title: 'a Form Trigger with Basic Auth refuses a visitor without credentials with an empty 401 and a Basic challenge',
  guide: {
    section: 'not in the guide',
    claim:
      'a Form Trigger (v2 and later) with Basic Auth answers a visitor without credentials 401, an empty body and WWW-Authenticate: Basic realm="Enter credentials"',
    fix: BASIC_FIX,
  },
  symptom: [
    {
      call: () => ({ label: 'GET the form with no Authorization header', method: 'GET' }),
      proves: { what: 'the visit carried no Authorization', test: (l) => !hasAuthorization(l) },
    },
    { call: () => ({ label: 'POST the form with no Authorization header', method: 'POST' }) },
  ],
});

const formBasicWrong = basicForm({
  id: 'forms.form-basic-auth-wrong',
  refusalKeepsOut: 'a visitor with a wrong password',
  title: 'a Form Trigger with Basic Auth refuses a wrong password with the same empty 401 as none',
  guide: {
    section: 'not in the guide',
    claim: 'a wrong Basic Auth password on a Form Trigger answers 401 with an empty body and WWW-Authenticate: Basic realm="Enter credentials"',
    fix: BASIC_FIX,
  },
  symptom: [
    {
      call: (_ctx, t) => ({ label: 'GET the form with a wrong password', method: 'GET', headers: [basicAuthHeader(t.user, wrongKeyOf(t.password))] }),
      proves: { what: 'the visit carried Authorization: Basic', test: (l) => l.some((x) => /^authorization: basic /i.test(x)) },
    },
  ],
});

/**
 * Form Trigger v1 has no authentication parameter: a v1 node whose JSON asks for Basic Auth (a
 * workflow downgraded by hand, or written for v2 and pasted as v1) serves its form to anyone.
 */
const formV1Unchecked = triggerScenario({
  id: 'forms.form-v1-checks-nothing',
  refusalKeepsOut: 'every visitor, without credentials',
  title: 'a Form Trigger v1 lets in a visitor without credentials, though its workflow asks for Basic Auth',
  guide: {
    section: 'not in the guide',
    claim: 'a Form Trigger whose workflow asks for Basic Auth (with a credential) refuses a visitor without credentials with 401',
    fix: 'use Form Trigger version 2 or later: v1 checks no authentication at all',
  },
  predicts: { outcome: 'rejected' },
  trigger: { kind: 'form', auth: 'basicAuth', typeVersion: 1 },
  symptom: [
    {
      call: () => ({ label: 'GET the v1 form with no Authorization header', method: 'GET' }),
      proves: { what: 'the visit carried no Authorization', test: (l) => !hasAuthorization(l) },
    },
    { call: () => ({ label: 'POST the v1 form with no Authorization header', method: 'POST' }) },
  ],
  remedies: [
    {
      name: 'the same form on Form Trigger 2.2 (Basic Auth checked)',
      source: 'correct',
      apply: async (ctx, state) => {
        state.trigger = await deployTrigger(ctx, { kind: 'form', auth: 'basicAuth', typeVersion: 2.2, path: 'authlab-form-v1-checks-nothing-v2' });
        return triggerProof(ctx, state.trigger);
      },
      call: () => ({ label: 'GET the v2.2 form with no Authorization header', method: 'GET' }),
      expect: 'rejected',
    },
  ],
  doctorBlind: 'nothing refuses: a form that lets anyone in answers 200, as a healthy public form does',
});

export const formScenarios = [formBasicMissing, formBasicWrong, formV1Unchecked];
