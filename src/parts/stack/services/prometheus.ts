import { N8N_METRICS_ENV } from '../../metrics/n8n-metrics.ts';
import { type StartedPrometheusContainer, startN8nPrometheus } from '../prometheus-container.ts';
import { removeContainer, type StackService } from './stack-service.ts';

/**
 * n8n's metrics on (the HTTP request metric with its status label) and a Prometheus scraping the
 * primary every second. Started before n8n: Prometheus applies its first scrape targets about 5 s
 * after it starts, which n8n's boot then covers.
 */
export const prometheusService: StackService<StartedPrometheusContainer> = {
  describe: () => 'Prometheus to scrape n8n',
  neededBy: (spec) => spec.metrics === true,
  images: () => ['prometheus'],
  start: (ctx) => startN8nPrometheus(ctx.image('prometheus'), ctx.network, ctx.spec.name, ctx.primaryAlias),
  n8nEnv: () => N8N_METRICS_ENV,
  stop: removeContainer,
};
