import { failed, happensOn } from '../../core/judgement.ts';
import type { Judgement, Observation } from '../../core/types.ts';
import { type Exchange, judgedOf } from '../../parts/client/exchange.ts';
import { keptHeader } from './triggers.ts';

/** Where a redirect sends the visitor: its path, and its origin apart (`/oauth/authorize`, `http://localhost:5678`), without the query (it carries OAuth state). */
function redirectOf(e: Exchange): { path: string; origin?: string } | undefined {
  const location = keptHeader(e, 'Location');
  if (!location) return undefined;
  const url = new URL(location, 'http://relative.invalid');
  return { path: url.pathname, ...(url.origin === 'http://relative.invalid' ? {} : { origin: url.origin }) };
}

/** Where a 302 sends the visitor, without its query: `<origin><path>`, or the path alone when relative. */
export function redirectTarget(e: Exchange): string | undefined {
  const to = redirectOf(e);
  return to ? `${to.origin ?? ''}${to.path}` : undefined;
}

/** One answer, status first: `302 to /oauth/authorize (http://localhost:5678)`, `401`, `200 "<body>"`. */
function answerOf(e: Exchange): string {
  const status = e.response?.status;
  if (status === undefined) return `nothing sent (${(e.error ?? '').slice(0, 60)})`;
  if (status >= 300 && status < 400) {
    const to = redirectOf(e);
    return to ? `${status} to ${to.path}${to.origin ? ` (${to.origin})` : ''}` : `${status} with no Location`;
  }
  const body = (e.response?.body ?? '').replace(/\s+/g, ' ').trim();
  return `${status}${body ? ` "${body.slice(0, 60)}"` : ''}`;
}

const toSignIn = (e: Exchange) => e.response?.status === 302 && (redirectOf(e)?.path ?? '').endsWith('/signin');

/** What users are told a form set to n8n User Auth answers someone not signed in, in the verdict's words. */
export const SIGN_IN_CLAIM = '302 to /signin, then 401 to the submission';

/**
 * The claim users are told about a form set to n8n User Auth: a visitor not signed in is sent to
 * n8n's sign-in page (every GET: 302 to `/signin`) and a submission is refused (every POST: 401).
 * The failure is each judged request that did not get the form or its submission through;
 * n8n answers as users are told when each GET went to /signin and each POST got 401.
 */
export function judgeSignInRedirect(obs: Observation): Judgement {
  const judged = judgedOf(obs.symptom);
  const failing = judged.filter(failed);
  const reasons = judged.flatMap((e) => {
    if (e.request.method === 'GET' && !toSignIn(e)) return [`${e.label}: users are told a 302 to /signin, n8n answered ${answerOf(e)}`];
    if (e.request.method !== 'GET' && e.outcome !== 'rejected') return [`${e.label}: users are told 401, n8n answered ${answerOf(e)}`];
    return [];
  });
  const answers = judged.map((e, i) => (i === 0 ? answerOf(e) : `${answerOf(e)} to the ${e.request.method === 'POST' ? 'submission' : 'next visit'}`));
  return {
    ...happensOn(failing, judged),
    symptomMatches: judged.length > 0 && reasons.length === 0,
    answered: answers.length ? answers.join(', then ') : 'nothing recorded',
    reasons,
  };
}
