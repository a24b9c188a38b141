import { fingerprint } from '../../base/secrets.ts';
import type { StartedAuthStack } from '../../parts/stack/auth-stack.ts';
import { newRunnerAuthToken, RUNNER_REGISTERED, TASK_BROKER_PORT, type BrokerExchange } from '../../parts/stack/task-runner-container.ts';
import type { DeployCheck, DeployCheckId } from './checks.ts';
import type { ComposeProject, ComposeService } from './compose.ts';
import type { Deployment } from './deployment.ts';
import { codeNodeOn, type CodeNodeRun } from './runner-code-node.ts';

type RunnerCheckId = Extract<DeployCheckId, `runner-${string}`>;

/** n8n's task runners image (the launcher and the JS and Python runners). */
const RUNNERS_IMAGE = /(?:^|\/)n8nio\/runners(?::|@|$)/;
/** The launcher's default broker URI: n8n in the runner's own network namespace. */
const DEFAULT_BROKER_URI = 'http://127.0.0.1:5679';
const LOOPBACK = /^(?:127\.|localhost$|::1$|\[::1\]$)/;
const REGISTRATION_WAIT_MS = 30_000;
const EXCHANGE_WAIT_MS = 15_000;
/** The settings the stack's own runner service sets on n8n (its token, mode, listen address): the file's are not used. */
const RUNNER_OWNED = /^N8N_RUNNERS_(?:ENABLED|MODE|AUTH_TOKEN|BROKER_LISTEN_ADDRESS|BROKER_PORT)$/;

/** A runner service of the file and the n8n service its broker URI names (if it names one). */
export interface RunnerPairing {
  runner: ComposeService;
  uri: string;
  host: string;
  port: string;
  /** The n8n (main or worker) whose broker the URI names; undefined when it names none. */
  n8n?: ComposeService;
  /** The runner shares that n8n's network namespace (network_mode: service:<n8n>): loopback reaches it. */
  sidecar: boolean;
}

const n8nServicesOf = (d: Deployment) => [d.main, ...d.workers];
const tokenOf = (s: ComposeService) => s.env.N8N_RUNNERS_AUTH_TOKEN ?? '';
const tokenShown = (s: ComposeService) => (tokenOf(s) ? `N8N_RUNNERS_AUTH_TOKEN ${fingerprint(tokenOf(s))}` : 'no N8N_RUNNERS_AUTH_TOKEN');
const sameToken = (p: RunnerPairing, d: Deployment) => tokenOf(p.runner) !== '' && tokenOf(p.runner) === tokenOf(p.n8n ?? d.main);

/** The file's task runner services (n8nio/runners, or a service that names a task broker), each with the n8n it connects to. */
export function taskRunnersOf(project: ComposeProject, d: Deployment): RunnerPairing[] {
  const n8ns = n8nServicesOf(d);
  return project.services
    .filter((s) => !n8ns.includes(s) && ((s.image !== undefined && RUNNERS_IMAGE.test(s.image)) || s.env.N8N_RUNNERS_TASK_BROKER_URI !== undefined))
    .map((runner) => {
      const uri = runner.env.N8N_RUNNERS_TASK_BROKER_URI || DEFAULT_BROKER_URI;
      const parsed = URL.canParse(uri) ? new URL(uri) : undefined;
      const host = parsed?.hostname ?? '';
      const shared = /^service:(.+)$/.exec(runner.networkMode ?? '')?.[1];
      const sidecar = shared !== undefined && LOOPBACK.test(host);
      const n8n = n8ns.find((s) => (sidecar ? s.name === shared : s.name === host || (s.aliases ?? []).includes(host)));
      return { runner, uri, host, port: parsed?.port || (parsed?.protocol === 'https:' ? '443' : '80'), n8n, sidecar };
    });
}

/** The file's runner settings on n8n are replaced by the stack's runner service's own. */
export const withoutRunnerSettings = (env: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter(([k]) => !RUNNER_OWNED.test(k)));

const runnerCheck = (id: RunnerCheckId, title: string, passed: boolean, evidence: string[], fix: string, how: DeployCheck['how'] = 'read'): DeployCheck => ({
  id,
  title,
  section: 'not in the guide',
  scenarios: ['runners.broker-refuses-auth-token', 'runners.code-node-token-mismatch'],
  how,
  passed,
  evidence,
  ...(passed ? {} : { fix }),
});

/** Read from the file: each runner's broker URI names an n8n service (its name or an alias) and that n8n's broker port. */
export function runnerBrokerUri(d: Deployment, runners: RunnerPairing[]): DeployCheck {
  const names = n8nServicesOf(d).map((s) => [s.name, ...(s.aliases ?? [])].join('/'));
  const judged = runners.map((p) => {
    const port = p.n8n?.env.N8N_RUNNERS_BROKER_PORT ?? String(TASK_BROKER_PORT);
    const ok = p.n8n !== undefined && p.port === port;
    const why = !p.n8n
      ? `${p.host || 'no host'} is not an n8n service (${names.join(', ')})`
      : p.port !== port
        ? `${p.n8n.name}'s broker listens on ${port}`
        : `${p.n8n.name}'s broker`;
    return {
      ok,
      line: `${p.runner.name}: N8N_RUNNERS_TASK_BROKER_URI=${p.uri}${p.runner.env.N8N_RUNNERS_TASK_BROKER_URI ? '' : ' (unset: the default)'}: ${why}`,
    };
  });
  return runnerCheck(
    'runner-broker-uri',
    "each task runner's broker URI names its n8n service",
    judged.every((j) => j.ok),
    judged.map((j) => j.line),
    `set N8N_RUNNERS_TASK_BROKER_URI on each runner to http://<its n8n service's name>:${TASK_BROKER_PORT} (a runner that cannot reach the broker takes no task: Code nodes fail with "Task request timed out" on n8n 2.x)`,
  );
}

/** Read from the file: an n8n with a runner in another container lets its broker listen beyond loopback (n8n's default is 127.0.0.1). */
export function runnerBrokerListen(d: Deployment, runners: RunnerPairing[]): DeployCheck {
  const brokers = [...new Set(runners.filter((p) => !p.sidecar).map((p) => p.n8n ?? d.main))];
  const judged = brokers.map((n8n) => {
    const address = n8n.env.N8N_RUNNERS_BROKER_LISTEN_ADDRESS;
    const ok = address !== undefined && address !== '' && !LOOPBACK.test(address);
    return {
      ok,
      line: `${n8n.name}: N8N_RUNNERS_BROKER_LISTEN_ADDRESS=${address || '(unset: 127.0.0.1, only its own container reaches it)'}, N8N_RUNNERS_MODE=${n8n.env.N8N_RUNNERS_MODE ?? '(unset: internal)'}`,
    };
  });
  return runnerCheck(
    'runner-broker-listen',
    "n8n's task broker listens where its runners can reach it",
    judged.every((j) => j.ok),
    judged.length ? judged.map((j) => j.line) : ["every runner shares its n8n's network namespace: the broker on 127.0.0.1 reaches it"],
    'set N8N_RUNNERS_BROKER_LISTEN_ADDRESS=0.0.0.0 (and N8N_RUNNERS_MODE=external) on each n8n whose runner runs in another container',
  );
}

/** What the reproduced broker answered the runner's token exchange, and whether it registered the runner. */
export interface BrokerTry {
  exchange?: BrokerExchange;
  registered?: string;
  /** A Code node run on the reproduced n8n with that runner. */
  codeNode?: CodeNodeRun;
}

/**
 * On the reproduced stack: n8n's broker and a runner started as the launcher starts it, on one
 * token when the file's runner has its n8n's token, else on one of its own.
 */
export async function tryRunnerOnBroker(stack: StartedAuthStack, d: Deployment, pairing: RunnerPairing, progress: (line: string) => void): Promise<BrokerTry> {
  const started = stack.services.taskRunner;
  if (!started) throw new Error('the reproduced stack has no task runner');
  const mark = stack.primary.container.logLines.mark();
  let runner = started;
  if (!sameToken(pairing, d)) {
    stack.services.taskRunner = undefined;
    stack.services.taskRunner = runner = await started.replace(newRunnerAuthToken());
  }
  // The runner is up once the broker answered; its log reaches us a moment later.
  await runner.logLines.waitFor(/^\{"brokerExchange":/, 0, EXCHANGE_WAIT_MS);
  const exchange = runner.brokerExchanges().at(-1);
  const registered =
    exchange?.status === 200
      ? await stack.primary.container.logLines.waitFor(RUNNER_REGISTERED, sameToken(pairing, d) ? 0 : mark, REGISTRATION_WAIT_MS)
      : undefined;
  return { exchange, registered, codeNode: await codeNodeOn(stack, progress) };
}

/** Each runner has its n8n's N8N_RUNNERS_AUTH_TOKEN (read), and the broker accepted the first runner's token (run, where it was tried). */
export function runnerAuthToken(d: Deployment, runners: RunnerPairing[], tried?: BrokerTry): DeployCheck {
  const read = runners.map((p) => {
    const n8n = p.n8n ?? d.main;
    const same = sameToken(p, d);
    return { same, line: `${p.runner.name}: ${tokenShown(p.runner)}; ${n8n.name}: ${tokenShown(n8n)}${same ? '' : ' — differs'}` };
  });
  const answer = tried?.exchange;
  const accepted = !tried || (answer?.status === 200 && tried.registered !== undefined && tried.codeNode?.ran !== false);
  const ran = tried
    ? [
        `reproduced on the test stack (${runners[0]!.runner.name}'s token ${read[0]!.same ? 'the same as' : 'other than'} n8n's): POST ${answer?.url ?? '/runners/auth'} -> ${answer?.status ?? answer?.error ?? 'no answer'}${answer?.body ? ` ${answer.body.slice(0, 120)}` : ''}`,
        tried.registered ? `n8n: ${tried.registered}` : "n8n's broker registered no runner",
        ...(tried.codeNode ? [tried.codeNode.evidence] : []),
      ]
    : [];
  return runnerCheck(
    'runner-auth-token',
    "every task runner has its n8n's N8N_RUNNERS_AUTH_TOKEN, and the broker accepts it",
    read.every((r) => r.same) && accepted,
    [...read.map((r) => r.line), ...ran],
    "give each runner its n8n's N8N_RUNNERS_AUTH_TOKEN (the broker answers another token 403 and Code nodes find no runner, verified by runners.broker-refuses-auth-token)",
    tried ? 'run' : 'read',
  );
}
