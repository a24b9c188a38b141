import { ledgerCatalogue } from '../../src/families/registry.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ANSWERS_BY_STATUS, answersByStatus, N8N_METRICS_ENV, refusalAlertExpr } from '../../src/parts/metrics/n8n-metrics.ts';
import { metricsLines, readMetrics, refusalsThatRose, type MetricsObservation } from '../../src/parts/metrics/observation.ts';
import { prometheusConfig } from '../../src/parts/metrics/scrape-config.ts';
import { failureOf } from '../../src/engine/report/failure.ts';
import { toJUnit } from '../../src/engine/report/junit.ts';
import { buildLedger } from '../../src/engine/report/ledger.ts';
import { toLedgerEvidenceHtml } from '../../src/engine/report/ledger-html.ts';
import { toLedgerEvidenceMarkdown } from '../../src/engine/report/ledger-markdown.ts';
import { judge } from '../../src/engine/runner.ts';
import type { Exchange, Outcome } from '../../src/parts/client/exchange.ts';
import { catalogueRun, scenarioResult, V2 } from '../support/ledger-fixtures.ts';

const answer = (status: number, outcome: Outcome): Exchange => ({
  label: `a ${status}`,
  via: 'raw-socket',
  request: { method: 'GET', url: 'http://n8n:5678/api/v1/workflows', headers: [] },
  response: { status, body: '' },
  outcome,
});
const notSent: Exchange = {
  label: 'refused by fetch',
  via: 'node-fetch',
  request: { method: 'GET', url: 'x', headers: [] },
  error: 'ByteString',
  outcome: 'not-sent',
};
const NO_ALERT = { name: 'N8nAuthRefusals', firesFor: [] };
const at = (byStatus: Record<string, number>, iso = '2026-11-30T00:00:00.000Z') => ({ at: iso, source: 'here', byStatus });

describe("n8n's metrics read against a symptom", () => {
  test('a failing status that rose shows; one that did not, and an answer never sent, do not', () => {
    const m = readMetrics(ANSWERS_BY_STATUS, { before: at({ '200': 4, '401': 2 }), after: at({ '200': 5, '401': 5 }), scraped: true }, NO_ALERT, [
      answer(401, 'rejected'),
      answer(401, 'rejected'),
      answer(401, 'rejected'),
    ]);
    expect(m).toMatchObject({ shows: true, failingStatuses: ['401'], scraped: true });
    expect(m.reading).toBe('401: 2 -> 5 (the symptom: 401 x3)');
    expect(refusalsThatRose(m)).toEqual(['401']);
    // A proxy's own 403: n8n never saw it, its counters stay.
    const proxy = readMetrics(ANSWERS_BY_STATUS, { before: at({ '200': 4 }), after: at({ '200': 4 }), scraped: true }, NO_ALERT, [answer(403, 'forbidden')]);
    expect(proxy).toMatchObject({ shows: false, failingStatuses: ['403'], reading: '403: 0 -> 0 (the symptom: 403 x1)' });
    expect(refusalsThatRose(proxy)).toEqual([]);
    const fetch = readMetrics(ANSWERS_BY_STATUS, { before: at({}), after: at({}), scraped: true }, NO_ALERT, [notSent]);
    expect(fetch).toMatchObject({ shows: false, failingStatuses: [] });
    expect(fetch.reading).toContain('1 failing request(s) got no answer');
  });

  test('a counter below its earlier value is a restart of n8n: the new count is the rise', () => {
    expect(
      readMetrics(ANSWERS_BY_STATUS, { before: at({ '401': 9 }), after: at({ '401': 2 }), scraped: true }, NO_ALERT, [answer(401, 'rejected')]).shows,
    ).toBe(true);
  });

  test('accepted answers and context exchanges are not failures; n8n down at the scrape is said', () => {
    const m = readMetrics(ANSWERS_BY_STATUS, { before: at({}), after: at({ '200': 1 }), scraped: false }, NO_ALERT, [
      answer(200, 'accepted'),
      { ...answer(401, 'rejected'), context: true },
    ]);
    expect(m).toMatchObject({ shows: false, failingStatuses: [] });
    expect(m.reading).toBe('the symptom has no failing answer; n8n did not answer the scrape after the symptom');
  });

  test('the evidence lines: the query, both samples, the reading; or the error', () => {
    const m = readMetrics(
      ANSWERS_BY_STATUS,
      { before: at({ '401': 1, '200': 3 }), after: at({ '401': 2, '200': 3 }, '2026-11-30T00:00:02.000Z'), scraped: true },
      NO_ALERT,
      [answer(401, 'rejected')],
    );
    expect(metricsLines(m)).toEqual([
      `query: ${ANSWERS_BY_STATUS}`,
      'before the symptom (here, 2026-11-30T00:00:00.000Z): 200: 3, 401: 1',
      'after it (here, 2026-11-30T00:00:02.000Z): 200: 3, 401: 2',
      "shows in n8n's metrics: yes: 401: 1 -> 2 (the symptom: 401 x1)",
      'alert N8nAuthRefusals at that scrape (last 2 minutes): does not fire',
    ]);
    expect(metricsLines({ query: 'q', error: 'no Prometheus' })).toEqual(['query: q', 'NOT READ: no Prometheus']);
    expect(metricsLines(undefined)).toEqual([]);
  });
});

describe('the Prometheus config and n8n env', () => {
  test("n8n's own /metrics page summed per status, as the query sums the scrape", () => {
    const page = [
      '# TYPE n8n_http_request_duration_seconds histogram',
      'n8n_http_request_duration_seconds_bucket{le="0.003",status_code="401",method="GET",path="/api/v1/workflows"} 1',
      'n8n_http_request_duration_seconds_count{status_code="401",method="GET",path="/api/v1/workflows"} 2',
      'n8n_http_request_duration_seconds_count{status_code="401",method="POST",path="/webhook/x"} 3',
      'n8n_http_request_duration_seconds_count{status_code="200",method="GET",path="/rest/login"} 5',
      'n8n_webhook_request_duration_seconds_count{method="GET",status_code="404",webhook_path="hook",workflow_id=""} 1',
      'n8n_webhook_request_duration_seconds_sum{method="GET",status_code="404",webhook_path="hook",workflow_id=""} 0.01',
      'n8n_version_info{version="v2.41.0",major="2",minor="41",patch="0"} 1',
    ].join('\n');
    expect(answersByStatus(page)).toEqual({ '401': 5, '200': 5, '404': 1 });
  });

  test('one job per target, scraped every second, the rules loaded', () => {
    const config = parse(prometheusConfig([{ job: 'n8n', address: 'n8n:5678' }], '/etc/authlab/rules/*.yml'));
    expect(config).toEqual({
      global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' },
      rule_files: ['/etc/authlab/rules/*.yml'],
      scrape_configs: [{ job_name: 'n8n', metrics_path: '/metrics', static_configs: [{ targets: ['n8n:5678'] }] }],
    });
  });

  test("n8n's own names for the metrics switches, and the shipped rule reads the metric they turn on", async () => {
    expect(N8N_METRICS_ENV).toMatchObject({
      N8N_METRICS: 'true',
      N8N_METRICS_INCLUDE_API_ENDPOINTS: 'true',
      N8N_METRICS_INCLUDE_API_STATUS_CODE_LABEL: 'true',
    });
    const rules = parse(readFileSync(new URL('../../fixtures/prometheus/n8n-auth.rules.yml', import.meta.url), 'utf8'));
    expect(rules.groups[0].rules[0].expr).toContain('{__name__=~"n8n_(http|webhook)_request_duration_seconds_count", status_code=~"401|403"}');
    expect(ANSWERS_BY_STATUS).toBe('sum by (status_code) ({__name__=~"n8n_(http|webhook)_request_duration_seconds_count", job="n8n"})');
    expect(await refusalAlertExpr()).toBe(rules.groups[0].rules[0].expr.trim());
  });
});

describe('the metrics in the ledger', () => {
  const withMetrics = (metrics: MetricsObservation) => {
    const r = scenarioResult('headers.missing-header', 'headers', V2, { symptom: [[401, 'rejected']] });
    return { ...r, observation: { ...r.observation, metrics } };
  };
  const read = readMetrics(ANSWERS_BY_STATUS, { before: at({}), after: at({ '401': 1 }), scraped: true }, NO_ALERT, [answer(401, 'rejected')]);

  test('shown in every rendering, and never changing the verdict', () => {
    const result = withMetrics(read);
    const ledger = buildLedger(catalogueRun([V2], [result]), 't', ledgerCatalogue);
    expect(ledger.rows[0]!.cells[0]!.evidence.metrics).toEqual(read);
    for (const text of [toLedgerEvidenceMarkdown(ledger), toLedgerEvidenceHtml(ledger), toJUnit(ledger)]) {
      expect(text).toContain('n8n_(http|webhook)_request_duration_seconds_count');
      expect(text).toMatch(/shows in n8n(&#39;|')s metrics: yes: 401: 0 -(&gt;|>) 1/);
    }
    const { metrics: _, ...without } = result.observation;
    expect(judge(result, V2, result.observation)).toEqual(judge(result, V2, without));
  });

  test('metrics that could not be read fail the cell (not the verdict)', () => {
    const result = withMetrics({ query: ANSWERS_BY_STATUS, error: 'no scrape of n8n within 15000 ms' });
    expect(failureOf(result)).toBe("n8n's metrics could not be read: no scrape of n8n within 15000 ms");
    expect(failureOf(withMetrics(read))).toBeUndefined();
    expect(buildLedger(catalogueRun([V2], [result]), 't', ledgerCatalogue).rows[0]!.cells[0]!.verdict).toBe('as-the-guide-says');
  });
});
