import { resolveN8nImage } from '../images/n8n-image.ts';
import { resolveN8nVersion } from '../images/n8n-versions.ts';
import type { ImageOptions } from '../images/options.ts';
import { resolveServiceImage } from '../images/service-images.ts';
import { mask } from '../secrets.ts';
import { startAuthStack, type StackSpec, type StartedAuthStack } from '../stack/auth-stack.ts';
import { resolveServiceImages } from '../stack/services/registry.ts';
import { runUpgradeCheck } from '../upgrade/upgrade-check.ts';
import { encryptionKeySurvivesRecreate, keyThroughProxy, proxySettings, publicApi, queueSameKey, upgradeCheck, type DeployCheck } from './checks.ts';
import { readCompose, UnreproducibleError } from './compose.ts';
import { deploymentOf, testEnv } from './deployment.ts';
import { readNginxSource, reproduceNginx, type ReproducedNginx } from './nginx-site.ts';
import { runnerAuthToken, runnerBrokerListen, runnerBrokerUri, taskRunnersOf, tryRunnerOnBroker, withoutRunnerSettings } from './task-runners.ts';

interface DeployCheckOptions {
  compose: string;
  service?: string;
  nginx?: string;
  envFile?: string;
  /** The n8n version to check it as (default: the image tag in the file). */
  version?: string;
  /** Also check the upgrade from the file's version to this one. */
  to?: string;
  images: ImageOptions;
  progress: (line: string) => void;
}

export interface DeployCheckRun {
  compose: string;
  nginx?: string;
  service: string;
  version: string;
  checks: DeployCheck[];
  /** Checks that do not apply to this deployment, and why. */
  skipped: string[];
  passed: boolean;
  startedAt: string;
  finishedAt: string;
}

/**
 * `authlab check`: reads the user's compose file (and NGINX config), reproduces the deployment on
 * a test stack (their n8n version and env with test secrets, their volumes' shape, their NGINX with
 * the upstream rewritten), and runs every check that applies.
 */
export async function runDeployCheck(opts: DeployCheckOptions): Promise<DeployCheckRun> {
  const startedAt = new Date().toISOString();
  const project = await readCompose(opts.compose, opts.envFile);
  const read = deploymentOf(project, { service: opts.service, version: opts.version });
  const runners = taskRunnersOf(project, read);
  const nginx = opts.nginx ? await reproduceNginx(await readNginxSource(opts.nginx), opts.nginx) : undefined;
  // The file's tag or --n8n as written (1.123, latest, 2.x): checked as the newest release it names.
  const d = { ...read, version: await resolveN8nVersion(read.version) };
  if (d.version !== read.version) opts.progress(`n8n ${read.version}: ${d.version}`);
  const to = opts.to ? await resolveN8nVersion(opts.to) : undefined;
  const checks: DeployCheck[] = [];
  const skipped: string[] = [];
  if (d.workers.length) checks.push(queueSameKey(d));
  else skipped.push('queue-same-key: no n8n worker service in the file');
  if (nginx) checks.push(proxySettings(d));
  else skipped.push('key-through-proxy, proxy-settings: no --nginx config given');
  if (runners.length) checks.push(runnerBrokerUri(d, runners), runnerBrokerListen(d, runners));
  else skipped.push('runner-auth-token, runner-broker-uri, runner-broker-listen: no task runner service in the file');

  const stack = await startReproduction(d, nginx, runners.length > 0, opts);
  try {
    if (runners.length) checks.push(runnerAuthToken(d, runners, await tryRunnerOnBroker(stack, d, runners[0]!, opts.progress)));
    if (nginx) checks.push(await keyThroughProxy(stack, nginx));
    checks.push(await publicApi(stack, d.main.env, opts.progress));
    checks.push(await encryptionKeySurvivesRecreate(stack, d, opts.progress));
  } finally {
    await stack.stop();
  }
  if (to && to !== d.version) checks.push(upgradeCheck(await runUpgradeCheck({ from: d.version, to, images: opts.images, progress: opts.progress })));
  else skipped.push(to ? `upgrade: --to ${to} is the version checked` : 'upgrade: no --to version given');
  return {
    compose: opts.compose,
    nginx: opts.nginx,
    service: d.main.name,
    version: d.version,
    checks,
    skipped,
    passed: checks.every((c) => c.passed),
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

async function startReproduction(
  d: ReturnType<typeof deploymentOf>,
  nginx: ReproducedNginx | undefined,
  taskRunner: boolean,
  opts: DeployCheckOptions,
): Promise<StartedAuthStack> {
  const image = await resolveN8nImage(d.version, opts.images);
  // Booted with the public API on, so a key can be made; the public-api check applies the file's setting.
  const { N8N_PUBLIC_API_DISABLED: _disabled, ...fileEnv } = testEnv(d);
  // With a runner, the stack's own runner service sets n8n's token and broker (the runner checks relate the file's).
  const env = taskRunner ? withoutRunnerSettings(fileEnv) : fileEnv;
  const spec: StackSpec = {
    name: 'deploy-check',
    env,
    database: d.database,
    generatedEncryptionKey: !d.explicitKey,
    ...(nginx ? { proxies: ['nginx'] } : {}),
    ...(taskRunner ? { taskRunner: true } : {}),
  };
  const serviceImages = await resolveServiceImages(spec, (kind) => resolveServiceImage(kind, opts.images));
  const proxies = nginx ? { nginx: { config: nginx.config } } : undefined;
  opts.progress(`reproducing ${d.main.name} as n8n ${d.version}${nginx ? ' behind its NGINX' : ''}${taskRunner ? ' with a task runner' : ''}`);
  try {
    return await startAuthStack(spec, { version: d.version, image, serviceImages, proxies, progress: opts.progress });
  } catch (err) {
    const message = mask(err instanceof Error ? err.message : String(err));
    if (nginx && /nginx/i.test(message))
      throw new UnreproducibleError(`NGINX does not run the reproduced config: ${message.split('\n').slice(0, 3).join(' ')}`);
    throw err;
  }
}
