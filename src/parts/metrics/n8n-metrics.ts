import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FIXTURES_DIR } from '../images/paths.ts';

/**
 * n8n's Prometheus endpoint with its HTTP request metric on (`n8n_http_request_duration_seconds`,
 * from express-prom-bundle) and its status, path and method labels: the names are n8n's own
 * (`@n8n/config`'s endpoints config), the same in 1.116.2 and 2.41.0. That middleware is mounted
 * on `/webhook/` too, but n8n registers its webhook handlers before it, so it never sees a webhook
 * call; n8n 2.x counts those in a metric of their own (`n8n_webhook_request_duration_seconds`,
 * N8N_METRICS_INCLUDE_WEBHOOK_METRICS), which 1.x does not have (it ignores the variable).
 */
export const N8N_METRICS_ENV: Readonly<Record<string, string>> = {
  N8N_METRICS: 'true',
  N8N_METRICS_INCLUDE_API_ENDPOINTS: 'true',
  N8N_METRICS_INCLUDE_API_STATUS_CODE_LABEL: 'true',
  N8N_METRICS_INCLUDE_API_PATH_LABEL: 'true',
  N8N_METRICS_INCLUDE_API_METHOD_LABEL: 'true',
  N8N_METRICS_INCLUDE_WEBHOOK_METRICS: 'true',
};

/** The scrape job of the primary n8n. */
export const N8N_JOB = 'n8n';

/** The request counters: the HTTP middleware's (API, editor) and, on n8n 2.x, the webhook handlers'. */
const COUNTERS = /^n8n_(http|webhook)_request_duration_seconds_count$/;

/** n8n's answers per status code since its process started, as the stack's Prometheus scraped them. */
export const ANSWERS_BY_STATUS = `sum by (status_code) ({__name__=~"${COUNTERS.source.slice(1, -1)}", job="${N8N_JOB}"})`;

const SAMPLE_LINE = /^(\w+)\{([^}]*)\}\s+(\S+)/;

/** `ANSWERS_BY_STATUS` computed from n8n's `/metrics` page itself (Prometheus' text format). */
export function answersByStatus(page: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of page.split('\n')) {
    const m = SAMPLE_LINE.exec(line);
    if (!m || !COUNTERS.test(m[1]!)) continue;
    const status = /status_code="([^"]*)"/.exec(m[2]!)?.[1] ?? 'none';
    counts[status] = (counts[status] ?? 0) + Number(m[3]);
  }
  return counts;
}

/** The alert rules the project ships (`fixtures/prometheus/`), loaded into every stack's Prometheus. */
export const ALERT_RULE_FILES = ['n8n-auth.rules.yml'] as const;

export async function alertRuleFiles(): Promise<Array<{ name: string; content: string }>> {
  return Promise.all(ALERT_RULE_FILES.map(async (name) => ({ name, content: await readFile(join(FIXTURES_DIR, 'prometheus', name), 'utf8') })));
}

/** The alert on n8n's refusals the project ships: its expression is evaluated against the real scrape after each symptom. */
export const REFUSAL_ALERT = 'N8nAuthRefusals';

interface RuleFile {
  groups: Array<{ rules: Array<{ alert?: string; expr: string }> }>;
}

let refusalExpr: Promise<string> | undefined;

export function refusalAlertExpr(): Promise<string> {
  refusalExpr ??= alertRuleFiles().then(([file]) => {
    const rule = (parse(file!.content) as RuleFile).groups.flatMap((g) => g.rules).find((r) => r.alert === REFUSAL_ALERT);
    if (!rule) throw new Error(`fixtures/prometheus/${file!.name} has no alert ${REFUSAL_ALERT}`);
    return rule.expr.trim();
  });
  return refusalExpr;
}
