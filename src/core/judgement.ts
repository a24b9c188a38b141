import { judgedOf, type Exchange, type Outcome } from '../parts/client/exchange.ts';
import type { Judgement, Observation, Prediction } from './types.ts';

const STATUS_OF: Record<Outcome, string> = {
  accepted: '200',
  'editor-page': "200 with the editor's page",
  rejected: '401',
  forbidden: '403',
  'not-found': '404',
  'bad-request': '400',
  'not-sent': 'nothing sent',
  other: 'an error',
};

/** A claim that something works (the guide predicts an accepted request): its failure is that it does not. */
export const claimsItWorks = (predicts: Prediction): boolean => predicts.outcome === 'accepted';

/** What the guide says n8n answers, in a few words: `401`, `401 saying "..."`. */
export function guideSaysOf(predicts: Prediction): string {
  if (predicts.answer) return predicts.answer;
  return `${STATUS_OF[predicts.outcome]}${predicts.says ? ` saying "${predicts.says}"` : ''}`;
}

/** A request failed when it did not get what it asked for: refused, not sent, an error, or the editor's page instead of the API's answer. */
export const failed = (e: Exchange): boolean => e.outcome !== 'accepted';

function says(e: Exchange, text: string): boolean {
  const kept = (e.response?.headers ?? []).map(([k, v]) => `${k}: ${v}`).join('\n');
  const haystack = `${e.response?.body ?? ''}\n${kept}\n${e.error ?? ''}\n${(e.n8nLog ?? []).join('\n')}`.toLowerCase();
  return haystack.includes(text.toLowerCase());
}

/** The probe gave the predicted outcome and, where the guide quotes a text, the answer or n8n's log says it. */
export const asPredicted = (e: Exchange, predicts: Prediction): boolean => e.outcome === predicts.outcome && (!predicts.says || says(e, predicts.says));

/** One answer in a few words: the status and the message n8n gave, or why nothing was sent. */
function shortAnswer(e: Exchange): string {
  const error = (e.error ?? 'unknown').split('\n')[0]!;
  // A scenario whose n8n refused to start records that as the answer a client gets: none.
  if (!e.response && /^n8n did not start/.test(error)) return `n8n does not start (${error.replace(/^n8n did not start:?\s*/, '').slice(0, 100)})`;
  if (!e.response) return `nothing sent (${error.slice(0, 80)})`;
  if (e.outcome === 'editor-page') return STATUS_OF['editor-page'];
  const execution = savedExecution(e);
  if (execution) return execution;
  const body = e.response.body.trim();
  let message: unknown;
  try {
    message = (JSON.parse(body) as { message?: unknown }).message;
  } catch {
    message = undefined;
  }
  const text = typeof message === 'string' ? message : body.replace(/\s+/g, ' ');
  return text ? `${e.response.status} "${text.slice(0, 70)}${text.length > 70 ? '…' : ''}"` : `${e.response.status}`;
}

/**
 * An execution n8n saved, read back through the public API (the read is a 200; the answer is what
 * the execution did): "the execution fails: <its error>", or "the execution succeeds".
 */
function savedExecution(e: Exchange): string | undefined {
  if (e.via !== 'client' || !e.request.url.includes('/api/v1/executions')) return undefined;
  try {
    const { status, error } = JSON.parse(e.response?.body ?? '') as { status?: string; error?: { message?: string } };
    if (status === undefined) return undefined;
    return error || status !== 'success' ? `the execution fails: ${(error?.message ?? status).slice(0, 100)}` : 'the execution succeeds';
  } catch {
    return undefined;
  }
}

/** The distinct answers of some probes, joined; a quoted text the guide expects and nobody said is named. */
export function answeredBy(list: Exchange[], predicts?: Prediction): string {
  if (list.length === 0) return 'nothing recorded';
  const answers = [...new Set(list.map(shortAnswer))].join(' / ');
  const missing = predicts?.says && !list.some((e) => says(e, predicts.says!)) ? ` (neither the answer nor n8n's log says "${predicts.says}")` : '';
  return `${answers}${missing}`;
}

const labels = (list: Exchange[]) => list.map((e) => e.label).join(', ');

/** How often a failure shows on some probes: all, none or some (then on which, and not on which). */
export function happensOn(failing: Exchange[], all: Exchange[]): Pick<Judgement, 'happens' | 'condition'> {
  if (failing.length === 0) return { happens: 'no' };
  if (failing.length === all.length) return { happens: 'yes' };
  return { happens: 'partly', condition: `on ${labels(failing)}; not on ${labels(all.filter((e) => !failing.includes(e)))}` };
}

function mismatch(e: Exchange, predicts: Prediction): string | undefined {
  if (e.outcome !== predicts.outcome) return `${e.label}: the guide says ${guideSaysOf(predicts)}, n8n answered ${shortAnswer(e)}`;
  if (predicts.says && !says(e, predicts.says)) return `${e.label}: ${shortAnswer(e)}, but neither the answer nor n8n's log says "${predicts.says}"`;
  return undefined;
}

/**
 * The default checker, from the judged symptom probes. A claim that a failure happens: the failure
 * is every probe that got no data, and n8n answers as the guide says when each of those gave the
 * predicted outcome and text. A claim that something works: the failure is every probe that did
 * not give what the guide predicts.
 */
export function judgeByOutcome(obs: Observation, predicts: Prediction): Judgement {
  const judged = judgedOf(obs.symptom);
  const failing = claimsItWorks(predicts) ? judged.filter((e) => !asPredicted(e, predicts)) : judged.filter(failed);
  const shown = failing.length ? failing : judged;
  const reasons = shown.map((e) => mismatch(e, predicts)).filter((r): r is string => r !== undefined);
  return {
    ...happensOn(failing, judged),
    symptomMatches: judged.length > 0 && shown.every((e) => asPredicted(e, predicts)),
    answered: answeredBy(shown, predicts),
    reasons,
  };
}
