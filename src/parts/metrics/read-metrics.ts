import type { Exchange } from '../client/exchange.ts';
import { mask } from '../../base/secrets.ts';
import type { StartedPrometheusContainer } from '../stack/prometheus-container.ts';
import { ANSWERS_BY_STATUS, answersByStatus, N8N_JOB, REFUSAL_ALERT, refusalAlertExpr } from './n8n-metrics.ts';
import { readMetrics, type MetricsObservation, type MetricsSample } from './observation.ts';

/** How long to wait for the scrape after a symptom (the interval is 1 s; a loaded machine delays it). */
const SCRAPE_WAIT_MS = 15_000;

async function promSample(prometheus: StartedPrometheusContainer, at: Date, source: string): Promise<MetricsSample> {
  const result = await prometheus.query(ANSWERS_BY_STATUS, at);
  return { at: at.toISOString(), source, byStatus: Object.fromEntries(result.map((s) => [s.labels.status_code ?? 'none', s.value])) };
}

/**
 * n8n's counts just before the symptom. Read from n8n's own `/metrics` at that instant: the last
 * scrape before it may miss the previous scenario's last requests (its fix, the doctor), which
 * would then be taken for this symptom's. Where n8n does not answer, the last scrape is used.
 */
async function sampleBefore(prometheus: StartedPrometheusContainer, n8nUrl: string): Promise<MetricsSample> {
  const at = new Date();
  try {
    const res = await fetch(`${n8nUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (res.ok) return { at: at.toISOString(), source: "n8n's /metrics at the symptom's start", byStatus: answersByStatus(await res.text()) };
  } catch {
    // n8n is down or restarting: the scrape below says what Prometheus last saw.
  }
  return promSample(prometheus, at, "Prometheus: the last scrape before the symptom (n8n's /metrics did not answer)");
}

/** Reads n8n's metrics around a symptom: `start` just before it, `after` once it is over. */
export interface SymptomMetricsWatch {
  after: (symptom: Exchange[]) => Promise<MetricsObservation>;
}

const unread = (err: unknown): MetricsObservation => ({ query: ANSWERS_BY_STATUS, error: mask(err instanceof Error ? err.message : String(err)) });

/**
 * Call just before a symptom: n8n's answers per status now, then (`after`) at the first scrape
 * after the symptom (waited for, bounded), read against the symptom's failing answers, with the
 * shipped alert evaluated at that scrape. Without a Prometheus, or when it does not answer, the
 * observation carries the error: the run reports it, the verdict does not change.
 */
export async function watchSymptomMetrics(prometheus: StartedPrometheusContainer | undefined, n8nUrl: string): Promise<SymptomMetricsWatch> {
  if (!prometheus) return { after: async () => unread(new Error("the stack scrapes n8n's metrics, but it runs no Prometheus")) };
  const taken = await sampleBefore(prometheus, n8nUrl).then(
    (sample) => ({ sample }),
    (err: unknown) => ({ err }),
  );
  return {
    after: async (symptom) => {
      if ('err' in taken) return unread(taken.err);
      const before = taken.sample;
      try {
        const scrape = await prometheus.scrapeAfter(N8N_JOB, new Date(), SCRAPE_WAIT_MS);
        const [after, firing] = await Promise.all([
          promSample(prometheus, scrape.at, 'Prometheus: the first scrape after the symptom'),
          prometheus.query(await refusalAlertExpr(), scrape.at),
        ]);
        const alert = { name: REFUSAL_ALERT, firesFor: firing.map((s) => s.labels.status_code ?? 'none').sort() };
        return readMetrics(ANSWERS_BY_STATUS, { before, after, scraped: scrape.up }, alert, symptom);
      } catch (err) {
        return unread(err);
      }
    },
  };
}
