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
import { checkedVersion } from './check-version.ts';
import { deploymentOf, testEnv } from './deployment.ts';
import { readNginxSource, reproduceNginx, type ReproducedNginx } from './nginx-site.ts';

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
  const read = deploymentOf(await readCompose(opts.compose, opts.envFile), { service: opts.service, version: opts.version });
  const d = { ...read, version: await checkedVersion(read, opts.progress) };
  const nginx = opts.nginx ? await reproduceNginx(await readNginxSource(opts.nginx), opts.nginx) : undefined;
  const to = opts.to ? await resolveN8nVersion(opts.to) : undefined;
  const checks: DeployCheck[] = [];
  const skipped: string[] = [];
  if (d.workers.length) checks.push(queueSameKey(d));
  else skipped.push('queue-same-key: no n8n worker service in the file');
  if (nginx) checks.push(proxySettings(d));
  else skipped.push('key-through-proxy, proxy-settings: no --nginx config given');

  const stack = await startReproduction(d, nginx, opts);
  try {
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

async function startReproduction(d: ReturnType<typeof deploymentOf>, nginx: ReproducedNginx | undefined, opts: DeployCheckOptions): Promise<StartedAuthStack> {
  const image = await resolveN8nImage(d.version, opts.images);
  // Booted with the public API on, so a key can be made; the public-api check applies the file's setting.
  const { N8N_PUBLIC_API_DISABLED: _disabled, ...env } = testEnv(d);
  const spec: StackSpec = { name: 'deploy-check', env, database: d.database, generatedEncryptionKey: !d.explicitKey, ...(nginx ? { proxies: ['nginx'] } : {}) };
  const serviceImages = await resolveServiceImages(spec, (kind) => resolveServiceImage(kind, opts.images));
  const proxies = nginx ? { nginx: { config: nginx.config } } : undefined;
  opts.progress(`reproducing ${d.main.name} as n8n ${d.version}${nginx ? ' behind its NGINX' : ''}`);
  try {
    return await startAuthStack(spec, { version: d.version, image, serviceImages, proxies, progress: opts.progress });
  } catch (err) {
    const message = mask(err instanceof Error ? err.message : String(err));
    if (nginx && /nginx/i.test(message))
      throw new UnreproducibleError(`NGINX does not run the reproduced config: ${message.split('\n').slice(0, 3).join(' ')}`);
    throw err;
  }
}
