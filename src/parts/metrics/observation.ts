import { judgedOf, type Exchange } from '../client/exchange.ts';

/** n8n's answers per status code (`"401"` → count since its process started) at one instant. */
export interface MetricsSample {
  /** When (ISO 8601): the instant n8n's page was read, or the query was evaluated at (the last scrape at or before it counts). */
  at: string;
  /** Where the counts come from: n8n's own `/metrics` page, or a Prometheus query. */
  source: string;
  byStatus: Record<string, number>;
}

/**
 * What n8n's own metrics, scraped by the stack's Prometheus, show of a scenario's symptom: the
 * answers per status just before the symptom and at the first scrape after it. Evidence only:
 * the verdict never reads it.
 */
export type MetricsObservation = MetricsReading | MetricsUnread;

export interface MetricsReading {
  /** The PromQL asked at both instants. */
  query: string;
  before: MetricsSample;
  after: MetricsSample;
  /** Whether n8n answered that scrape (`up`): n8n down at the time shows nothing, for that reason. */
  scraped: boolean;
  /** The statuses of the symptom's failing answers (none where the failure did not happen, or nothing was answered). */
  failingStatuses: string[];
  /** A status of the symptom's failing answers rose in n8n's metrics: the failure shows there. */
  shows: boolean;
  /** Why it shows or not, in one line: `401: 2 -> 5 (the symptom: 401 x3)`. */
  reading: string;
  /**
   * The project's alert rule evaluated at that scrape: the statuses it fires for. Its window is 2
   * minutes, so refusals of the scenarios before this one on the same n8n count too.
   */
  alert: { name: string; firesFor: string[] };
}

/** The stack scrapes n8n, but its metrics could not be read: an error of the run, never a silent pass. */
export interface MetricsUnread {
  query: string;
  error: string;
}

export const metricsError = (m: MetricsObservation | undefined): string | undefined => (m && 'error' in m ? m.error : undefined);

/** The statuses of the symptom's judged answers other than accepted, each with how often it came. */
function failingAnswers(symptom: Exchange[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of judgedOf(symptom)) {
    if (e.outcome === 'accepted' || !e.response) continue;
    const status = String(e.response.status);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return counts;
}

/** How much a status rose; a count below the earlier one means n8n restarted between them (a counter starts at 0). */
const rise = (before: number, after: number) => (after >= before ? after - before : after);

/** Reads the two samples against the symptom: does a status n8n answered it with rise? */
export function readMetrics(
  query: string,
  samples: { before: MetricsSample; after: MetricsSample; scraped: boolean },
  alert: MetricsReading['alert'],
  symptom: Exchange[],
): MetricsReading {
  const { before, after, scraped } = samples;
  const failing = failingAnswers(symptom);
  const notAnswered = judgedOf(symptom).filter((e) => e.outcome !== 'accepted' && !e.response).length;
  const rows = [...failing].map(([status, times]) => {
    const from = before.byStatus[status] ?? 0;
    const to = after.byStatus[status] ?? 0;
    return { status, rose: rise(from, to) > 0, text: `${status}: ${from} -> ${to} (the symptom: ${status} x${times})` };
  });
  const shows = rows.some((r) => r.rose);
  const why = [
    ...rows.map((r) => r.text),
    ...(notAnswered ? [`${notAnswered} failing request(s) got no answer (never sent, or refused before HTTP)`] : []),
    ...(failing.size === 0 && !notAnswered ? ['the symptom has no failing answer'] : []),
    ...(!scraped ? ['n8n did not answer the scrape after the symptom'] : []),
  ];
  return { query, before, after, scraped, failingStatuses: [...failing.keys()], shows, reading: why.join('; '), alert };
}

/** The 401s and 403s of the symptom that rose in n8n's metrics: the shipped alert must fire for each. */
export function refusalsThatRose(m: MetricsReading): string[] {
  return m.failingStatuses.filter((s) => /^40[13]$/.test(s) && rise(m.before.byStatus[s] ?? 0, m.after.byStatus[s] ?? 0) > 0);
}

const counts = (s: MetricsSample) =>
  Object.keys(s.byStatus).length
    ? Object.entries(s.byStatus)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, n]) => `${status}: ${n}`)
        .join(', ')
    : 'none';

/** The metrics evidence as lines, for the Markdown, HTML and JUnit ledgers. */
export function metricsLines(m: MetricsObservation | undefined): string[] {
  if (!m) return [];
  if ('error' in m) return [`query: ${m.query}`, `NOT READ: ${m.error}`];
  return [
    `query: ${m.query}`,
    `before the symptom (${m.before.source}, ${m.before.at}): ${counts(m.before)}`,
    `after it (${m.after.source}, ${m.after.at}): ${counts(m.after)}`,
    `shows in n8n's metrics: ${m.shows ? 'yes' : 'no'}: ${m.reading}`,
    `alert ${m.alert.name} at that scrape (last 2 minutes): ${m.alert.firesFor.length ? `fires for ${m.alert.firesFor.join(', ')}` : 'does not fire'}`,
  ];
}
