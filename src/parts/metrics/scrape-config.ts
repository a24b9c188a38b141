import { stringify } from 'yaml';

/** How often Prometheus scrapes and evaluates rules: short, so a symptom shows within a second or two. */
export const SCRAPE_INTERVAL = '1s';

/** A scrape job: `host:port` on the stack network, and the path its metrics are served on. */
export interface ScrapeTarget {
  job: string;
  address: string;
  path?: string;
}

/** The whole `prometheus.yml`: a job per target, every rule file matching `rulesGlob` loaded. */
export function prometheusConfig(targets: ScrapeTarget[], rulesGlob: string): string {
  return stringify({
    global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL, scrape_timeout: SCRAPE_INTERVAL },
    rule_files: [rulesGlob],
    scrape_configs: targets.map((t) => ({ job_name: t.job, metrics_path: t.path ?? '/metrics', static_configs: [{ targets: [t.address] }] })),
  });
}
