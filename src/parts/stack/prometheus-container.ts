import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { alertRuleFiles, N8N_JOB } from '../metrics/n8n-metrics.ts';
import { prometheusConfig, type ScrapeTarget } from '../metrics/scrape-config.ts';
import { LoopbackContainer, loopbackUrl } from './loopback-container.ts';
import { N8N_PORT } from './n8n-container.ts';

export const PROMETHEUS_PORT = 9090;
const CONFIG_PATH = '/etc/authlab/prometheus.yml';
const RULES_DIR = '/etc/authlab/rules';
/** The rule files Prometheus loads: `*.rules.yml` (a promtool test file beside them, `*.rules.test.yml`, is not one). */
export const RULE_FILES = `${RULES_DIR}/*.rules.yml`;
const READY_LINE = 'Server is ready to receive web requests';

/** One sample of an instant vector: its labels and value. */
export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

interface QueryAnswer {
  status: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

/**
 * Prometheus on the stack network, scraping n8n's `/metrics` by its network alias. The flags are
 * passed to the entrypoint, which is the server in both the official image and the offline recipe.
 */
export class PrometheusContainer extends LoopbackContainer {
  private targets: ScrapeTarget[] = [];
  private rules: Array<{ name: string; content: string }> = [];

  constructor(image: string, stack?: string) {
    super(image, stack);
    this.withExposedPorts(PROMETHEUS_PORT)
      .withCommand([`--config.file=${CONFIG_PATH}`, '--storage.tsdb.path=/tmp/prometheus', `--web.listen-address=0.0.0.0:${PROMETHEUS_PORT}`])
      .withWaitStrategy(Wait.forLogMessage(READY_LINE))
      .withStartupTimeout(60_000);
  }

  withStackNetwork(network: StartedNetwork, alias = 'prometheus'): this {
    return this.withNetwork(network).withNetworkAliases(alias);
  }

  /** What to scrape: a job per target, each `host:port` on the stack network. */
  withScrapeTargets(targets: ScrapeTarget[]): this {
    this.targets = targets;
    return this;
  }

  /** Rule files (alerting or recording), loaded as given. */
  withRuleFiles(files: Array<{ name: string; content: string }>): this {
    this.rules = files;
    return this;
  }

  override async start(): Promise<StartedPrometheusContainer> {
    this.withCopyContentToContainer([
      { content: prometheusConfig(this.targets, RULE_FILES), target: CONFIG_PATH },
      ...this.rules.map((r) => ({ content: r.content, target: `${RULES_DIR}/${r.name}` })),
    ]);
    return new StartedPrometheusContainer(await super.start());
  }
}

export class PrometheusQueryError extends Error {}

export class StartedPrometheusContainer extends AbstractStartedContainer {
  constructor(started: StartedTestContainer) {
    super(started);
  }

  getBaseUrl(): string {
    return loopbackUrl(this, PROMETHEUS_PORT);
  }

  /** An instant query (`/api/v1/query`), evaluated at `at` (default: now). */
  async query(promql: string, at?: Date): Promise<PromSample[]> {
    const params = new URLSearchParams({ query: promql, ...(at ? { time: String(at.getTime() / 1000) } : {}) });
    let answer: QueryAnswer;
    try {
      const res = await fetch(`${this.getBaseUrl()}/api/v1/query?${params}`, { signal: AbortSignal.timeout(10_000) });
      answer = (await res.json()) as QueryAnswer;
    } catch (err) {
      throw new PrometheusQueryError(`Prometheus did not answer ${promql}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (answer.status !== 'success' || answer.data?.resultType !== 'vector') {
      throw new PrometheusQueryError(`Prometheus refused ${promql}: ${answer.error ?? answer.data?.resultType ?? answer.status}`);
    }
    return answer.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  /**
   * Waits until a scrape of `job` started after `after`, and returns that scrape's time and
   * whether the target answered it (`up`); throws after `timeoutMs` without one.
   */
  async scrapeAfter(job: string, after: Date, timeoutMs: number): Promise<{ at: Date; up: boolean }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [last] = await this.query(`timestamp(up{job="${job}"})`);
      if (last && last.value * 1000 > after.getTime()) {
        const at = new Date(Math.round(last.value * 1000));
        const [up] = await this.query(`up{job="${job}"}`, at);
        return { at, up: up?.value === 1 };
      }
      if (Date.now() > deadline) throw new PrometheusQueryError(`no scrape of ${job} within ${timeoutMs} ms after ${after.toISOString()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** A stack's Prometheus: scraping the primary n8n (by its alias on the stack network), with the project's alert rules. */
export async function startN8nPrometheus(image: string, network: StartedNetwork, stack: string, n8nAlias: string): Promise<StartedPrometheusContainer> {
  return new PrometheusContainer(image, stack)
    .withStackNetwork(network)
    .withScrapeTargets([{ job: N8N_JOB, address: `${n8nAlias}:${N8N_PORT}` }])
    .withRuleFiles(await alertRuleFiles())
    .start();
}
