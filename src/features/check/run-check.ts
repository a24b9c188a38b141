import { n8nImagesOf } from '../../parts/images/n8n-image.ts';
import { resolveN8nVersion } from '../../parts/images/n8n-versions.ts';
import type { ImageOptions } from '../../parts/images/options.ts';
import { resolveServiceImage } from '../../parts/images/service-images.ts';
import { mask } from '../../base/secrets.ts';
import { docker } from '../../docker/docker.ts';
import { startAuthStack, type StackSpec, type StartedAuthStack } from '../../parts/stack/auth-stack.ts';
import { resolveServiceImages } from '../../parts/stack/services/registry.ts';
import { runUpgradeCheck } from '../upgrade/upgrade-check.ts';
import { checkedVersion } from './check-version.ts';
import { encryptionKeySurvivesRecreate, proxySettings, publicApi, queueSameKey, upgradeCheck, type DeployCheck } from './checks.ts';
import { readCompose, UnreproducibleError } from './compose.ts';
import { deploymentProxy, type DeploymentProxy } from './deployment-proxy.ts';
import { deploymentOf, testEnv, type Deployment } from './deployment.ts';
import { keyThroughProxy, keyThroughTraefikLabels, proxyPath } from './proxy-checks.ts';
import { linksBaseUrl } from './links-base-url.ts';
import { webhookAllowlist } from './webhook-allowlist.ts';
import { PROXY_NAMES, type ReproducedProxy } from './reproduced-proxy.ts';
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
  /** The proxy in front of n8n, and how it was checked: run on the test stack, or read from the file. */
  proxy?: { kind: ReproducedProxy['kind']; service?: string; source: string; how: 'run' | 'read' };
  service: string;
  version: string;
  checks: DeployCheck[];
  /** Checks that do not apply to this deployment, and why. */
  skipped: string[];
  /** What the check says about how it reproduced the deployment (the proxy found, what was not run). */
  notes: string[];
  passed: boolean;
  startedAt: string;
  finishedAt: string;
}

/**
 * `authlab check`: reads the user's compose file (and the proxy config it mounts, or --nginx),
 * reproduces the deployment on a test stack (their n8n version and env with test secrets, their
 * volumes' shape, their proxy with the upstream rewritten), and runs every check that applies.
 */
export async function runDeployCheck(opts: DeployCheckOptions): Promise<DeployCheckRun> {
  const startedAt = new Date().toISOString();
  const project = await readCompose(opts.compose, opts.envFile);
  const read = deploymentOf(project, { service: opts.service, version: opts.version });
  const runners = taskRunnersOf(project, read);
  const d = { ...read, version: await checkedVersion(read, opts.progress) };
  const to = opts.to ? await resolveN8nVersion(opts.to) : undefined;
  const { proxy, behindProxy, notes } = await deploymentProxy(project, d, { nginx: opts.nginx, images: opts.images });
  const checks: DeployCheck[] = [];
  const skipped: string[] = [];
  if (d.workers.length) checks.push(queueSameKey(d));
  else skipped.push('queue-same-key: no n8n worker service in the file');
  const site = proxy?.how === 'run' ? proxy.site : undefined;
  if (behindProxy) checks.push(proxySettings(d));
  if (!proxy) skipped.push(`${behindProxy ? 'key-through-proxy' : 'key-through-proxy, proxy-settings'}: ${notes.at(-1)}`);
  const routes = proxy ? (proxy.how === 'run' ? proxy.site.routes : proxy.routes) : [];
  if (proxy && routes.some((r) => r.prefix)) checks.push(proxyPath(d, routes, site?.kind ?? 'traefik'));
  else if (proxy) skipped.push('proxy-path: n8n is served at the root of its host');
  if (proxy?.how === 'read') checks.push(keyThroughTraefikLabels(proxy.routing, notes.at(-1)!));
  if (runners.length) checks.push(runnerBrokerUri(d, runners), runnerBrokerListen(d, runners));
  else skipped.push('runner-auth-token, runner-broker-uri, runner-broker-listen: no task runner service in the file');

  await docker(); // asked only now: a file that cannot be read or reproduced is named first
  for (const note of notes) opts.progress(note);
  const stack = await startReproduction(d, proxy, runners.length > 0, opts);
  try {
    if (runners.length) checks.push(runnerAuthToken(d, runners, await tryRunnerOnBroker(stack, d, runners[0]!, opts.progress)));
    if (site) checks.push(await keyThroughProxy(stack, site), await webhookAllowlist(stack, d, site, opts.progress));
    if (behindProxy) checks.push(await linksBaseUrl(stack, d));
    checks.push(await publicApi(stack, d.main.env, opts.progress));
    checks.push(await encryptionKeySurvivesRecreate(stack, d, opts.progress));
  } finally {
    await stack.stop();
  }
  if (to && to !== d.version)
    checks.push(upgradeCheck(await runUpgradeCheck({ from: d.version, to, database: d.database, images: opts.images, progress: opts.progress })));
  else skipped.push(to ? `upgrade: --to ${to} is the version checked` : 'upgrade: no --to version given');
  return {
    compose: opts.compose,
    nginx: opts.nginx,
    ...(proxy ? { proxy: proxyOf(proxy) } : {}),
    service: d.main.name,
    version: d.version,
    checks,
    skipped,
    notes,
    passed: checks.every((c) => c.passed),
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

function proxyOf(p: DeploymentProxy): NonNullable<DeployCheckRun['proxy']> {
  return p.how === 'run'
    ? { kind: p.site.kind, service: p.service, source: p.site.source, how: 'run' }
    : { kind: p.kind, service: p.service, source: 'labels', how: 'read' };
}

/**
 * n8n's image for the version checked (`checkedVersion` asked the registry already: not again);
 * a release the registry lists but cannot install is named in one line (exit 2).
 */
async function n8nImage(d: Deployment, opts: DeployCheckOptions): Promise<string> {
  try {
    return (await n8nImagesOf([d.version], opts.images))[0]!.image;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!/cannot be installed from this registry/.test(message)) throw err;
    throw new UnreproducibleError(`${message.split('\n')[0]}; give --n8n <version> to check it as another release`);
  }
}

async function startReproduction(d: Deployment, proxy: DeploymentProxy | undefined, taskRunner: boolean, opts: DeployCheckOptions): Promise<StartedAuthStack> {
  const image = await n8nImage(d, opts);
  const site = proxy?.how === 'run' ? proxy : undefined;
  // Booted with the public API on, so a key can be made; the public-api check applies the file's setting.
  const { N8N_PUBLIC_API_DISABLED: _disabled, ...fileEnv } = testEnv(d);
  // With a runner, the stack's own runner service sets n8n's token and broker (the runner checks relate the file's).
  const env = taskRunner ? withoutRunnerSettings(fileEnv) : fileEnv;
  const spec: StackSpec = {
    name: 'deploy-check',
    env,
    database: d.database,
    generatedEncryptionKey: !d.explicitKey,
    ...(site ? { proxies: [site.site.kind] } : {}),
    ...(taskRunner ? { taskRunner: true } : {}),
  };
  // A Traefik that runs is the file's own image, or the offline build of its line (deployment-proxy.ts).
  const serviceImages = await resolveServiceImages(spec, (kind) =>
    kind === 'traefik' && site?.image ? Promise.resolve(site.image) : resolveServiceImage(kind, opts.images),
  );
  const proxies = site ? { [site.site.kind]: { config: site.site.config } } : undefined;
  const name = site ? PROXY_NAMES[site.site.kind] : undefined;
  opts.progress(`reproducing ${d.main.name} as n8n ${d.version}${name ? ` behind its ${name}` : ''}${taskRunner ? ' with a task runner' : ''}`);
  try {
    return await startAuthStack(spec, { version: d.version, image, serviceImages, proxies, progress: opts.progress });
  } catch (err) {
    const message = mask(err instanceof Error ? err.message : String(err));
    if (site && name && new RegExp(site.site.kind, 'i').test(message))
      throw new UnreproducibleError(`${name} does not run the reproduced config: ${message.split('\n').slice(0, 3).join(' ')}`);
    throw err;
  }
}
