import { randomBytes } from 'node:crypto';
import { answerOf, describeExchange } from '../../parts/client/exchange.ts';
import { API_KEY_HEADER, PUBLIC_WORKFLOWS } from '../../core/probes.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import type { UpgradeResult } from '../upgrade/upgrade-check.ts';
import { fingerprint, registerSecret } from '../../base/secrets.ts';
import type { StartedAuthStack } from '../../parts/stack/auth-stack.ts';
import type { Deployment } from './deployment.ts';

export type DeployCheckId =
  | 'key-through-proxy'
  | 'proxy-path'
  | 'public-api'
  | 'encryption-key-survives-recreate'
  | 'queue-same-key'
  | 'proxy-settings'
  | 'upgrade'
  | 'runner-auth-token'
  | 'runner-broker-uri'
  | 'runner-broker-listen'
  | 'webhook-allowlist'
  | 'links-base-url';

/** One check of a deployment: run for real on the reproduced stack, or read from the files. */
export interface DeployCheck {
  id: DeployCheckId;
  title: string;
  /** The guide's section, and the catalogue scenarios that prove what a failure here does. */
  section: string;
  scenarios: string[];
  how: 'run' | 'read';
  passed: boolean;
  evidence: string[];
  fix?: string;
  /** A failure that lets in someone who does not belong: who. */
  security?: string;
}

export const keyProbe = (base: string, path: string, key: string, label: string) =>
  rawRequest({ label, url: `${base}${path}`, headers: [[API_KEY_HEADER, key]] });

/** The public API answers a valid key at /api/v1 with the file's settings (N8N_PUBLIC_API_DISABLED, N8N_PUBLIC_API_ENDPOINT). */
export async function publicApi(stack: StartedAuthStack, fileEnv: Record<string, string>, progress: (line: string) => void): Promise<DeployCheck> {
  const disabled = fileEnv.N8N_PUBLIC_API_DISABLED;
  const endpoint = fileEnv.N8N_PUBLIC_API_ENDPOINT;
  if (disabled) {
    progress(`restarting n8n with the file's N8N_PUBLIC_API_DISABLED=${disabled}`);
    await stack.replacePrimary({ env: { N8N_PUBLIC_API_DISABLED: disabled } });
  }
  const base = stack.primary.container.getBaseUrl();
  const key = stack.primary.apiKey.rawApiKey;
  const standard = await keyProbe(base, PUBLIC_WORKFLOWS, key, 'the key on /api/v1/workflows');
  const evidence = [describeExchange(standard)];
  if (endpoint && endpoint !== 'api')
    evidence.push(describeExchange(await keyProbe(base, `/${endpoint}/v1/workflows`, key, `the key on /${endpoint}/v1/workflows (N8N_PUBLIC_API_ENDPOINT)`)));
  if (disabled) {
    progress('restarting n8n without it, for the checks that follow');
    await stack.replacePrimary({ unset: ['N8N_PUBLIC_API_DISABLED'] });
  }
  const passed = standard.outcome === 'accepted';
  const fix =
    disabled === 'true'
      ? 'unset N8N_PUBLIC_API_DISABLED and recreate n8n (verified by endpoints.public-api-disabled)'
      : endpoint
        ? `clients call /${endpoint}/v1/..., or unset N8N_PUBLIC_API_ENDPOINT`
        : 'see the evidence';
  return {
    id: 'public-api',
    title: 'the public API is enabled and answers a valid key at /api/v1',
    section: 'F, B',
    scenarios: ['endpoints.public-api-disabled', 'endpoints.wrong-path-404'],
    how: 'run',
    passed,
    evidence: [...(disabled ? [`the file sets N8N_PUBLIC_API_DISABLED=${disabled}`] : []), ...evidence],
    ...(passed ? {} : { fix }),
  };
}

/**
 * Recreates n8n as `docker compose up` does after a rebuild: a new container with the same env,
 * over the data volume when the file has one at /home/node/.n8n, else over nothing. A key and a
 * credential made before must still work.
 */
export async function encryptionKeySurvivesRecreate(stack: StartedAuthStack, d: Deployment, progress: (line: string) => void): Promise<DeployCheck> {
  const result = (passed: boolean, evidence: string[]): DeployCheck => ({
    id: 'encryption-key-survives-recreate',
    title: 'the encryption key survives a container recreate: an existing API key and credential still work',
    section: 'D, 7',
    scenarios: ['secrets.key-mismatch-refuses-start', 'secrets.n8n-folder-lost'],
    how: 'run',
    passed,
    evidence: [
      `the file: ${d.explicitKey ? 'N8N_ENCRYPTION_KEY set' : 'no N8N_ENCRYPTION_KEY'}; ${d.dataPersisted ? 'a volume at /home/node/.n8n' : 'no volume at /home/node/.n8n'}; database ${d.database}`,
      ...evidence,
    ],
    ...(passed
      ? {}
      : {
          fix: d.dataPersisted
            ? 'set N8N_ENCRYPTION_KEY explicitly (the value in /home/node/.n8n/config)'
            : 'mount a volume at /home/node/.n8n and set N8N_ENCRYPTION_KEY explicitly (verified by secrets.n8n-folder-lost)',
        }),
  });
  const base = stack.primary.container.getBaseUrl();
  const key = stack.primary.apiKey.rawApiKey;
  const credentialId = await stack.primary.client.createCredential({
    name: 'authlab check',
    type: 'httpHeaderAuth',
    data: { name: 'Authorization', value: registerSecret(`Bearer ${randomBytes(12).toString('hex')}`) },
  });
  const before = await keyProbe(base, PUBLIC_WORKFLOWS, key, 'the key before the recreate');
  if (before.outcome !== 'accepted') return result(false, [`the key did not work before the recreate: ${answerOf(before)}`]);
  progress(`recreating n8n ${d.dataPersisted ? 'over its data volume' : 'without a data volume (as the file has none)'}`);
  try {
    const failure = await stack.tryReplacePrimary({ freshData: !d.dataPersisted });
    if (failure)
      return result(false, [
        `n8n did not start after the recreate: ${failure.message.split('\n')[0]}`,
        ...failure.lastLogLines.filter((l) => /encryption|Mismatching|cannot be read/i.test(l)).slice(0, 3),
      ]);
  } catch (err) {
    return result(false, [`after the recreate the owner could not sign in (the database did not survive): ${(err as Error).message.split('\n')[0]}`]);
  }
  const after = await keyProbe(stack.primary.container.getBaseUrl(), PUBLIC_WORKFLOWS, key, 'the key after the recreate');
  const credential = await stack.primary.client.call('GET', `/rest/credentials/${credentialId}?includeData=true`);
  const decrypted = (credential.json as { data?: { data?: { name?: string } } } | undefined)?.data?.data?.name === 'Authorization';
  return result(after.outcome === 'accepted' && decrypted, [
    `${describeExchange(after)}`,
    `the credential made before: GET /rest/credentials -> ${credential.status}, ${decrypted ? 'decrypted' : 'not decrypted'}`,
  ]);
}

/** Read from the file: every worker runs with the main's encryption key. */
export function queueSameKey(d: Deployment): DeployCheck {
  const keyOf = (env: Record<string, string>) => env.N8N_ENCRYPTION_KEY || (env.N8N_ENCRYPTION_KEY_FILE ? `file:${env.N8N_ENCRYPTION_KEY_FILE}` : '');
  const dataOf = (volumes: Deployment['main']['volumes']) => volumes.find((v) => v.target.replace(/\/$/, '') === '/home/node/.n8n')?.source;
  const main = keyOf(d.main.env);
  const evidence = [`${d.main.name}: ${main ? fingerprint(main) : 'no key set'}`];
  let passed = true;
  for (const w of d.workers) {
    const key = keyOf(w.env);
    const same = main ? key === main : !key && dataOf(w.volumes) !== undefined && dataOf(w.volumes) === dataOf(d.main.volumes);
    passed &&= same;
    evidence.push(`${w.name}: ${key ? fingerprint(key) : 'no key set'}${same ? '' : ` — differs from ${d.main.name}`}`);
  }
  return {
    id: 'queue-same-key',
    title: "queue mode: every worker runs with the main instance's encryption key",
    section: 'D',
    scenarios: ['secrets.queue-worker-key-mismatch'],
    how: 'read',
    passed,
    evidence,
    ...(passed
      ? {}
      : {
          fix: `give every worker the same N8N_ENCRYPTION_KEY as ${d.main.name} (a worker on another key fails the executions it takes, verified by secrets.queue-worker-key-mismatch)`,
        }),
  };
}

/** Read from the file: behind a proxy, n8n knows it (N8N_PROXY_HOPS) and its public URLs. */
export function proxySettings(d: Deployment): DeployCheck {
  const env = d.main.env;
  const missing = [
    ...(Number(env.N8N_PROXY_HOPS ?? 0) >= 1 ? [] : ['N8N_PROXY_HOPS=1']),
    ...(env.WEBHOOK_URL ? [] : ['WEBHOOK_URL']),
    ...(env.N8N_EDITOR_BASE_URL ? [] : ['N8N_EDITOR_BASE_URL']),
  ];
  return {
    id: 'proxy-settings',
    title: 'behind a proxy: N8N_PROXY_HOPS and the webhook and editor URLs are set',
    section: '5',
    scenarios: ['proxy.forwarded-for-without-proxy-hops'],
    how: 'read',
    passed: missing.length === 0,
    evidence: [
      `N8N_PROXY_HOPS=${env.N8N_PROXY_HOPS ?? '(unset)'}, WEBHOOK_URL ${env.WEBHOOK_URL ? 'set' : 'unset'}, N8N_EDITOR_BASE_URL ${env.N8N_EDITOR_BASE_URL ? 'set' : 'unset'}`,
    ],
    ...(missing.length
      ? {
          fix: `set ${missing.join(', ')} on ${d.main.name} (without N8N_PROXY_HOPS n8n logs an X-Forwarded-For validation error on every rate-limited request, verified by proxy.forwarded-for-without-proxy-hops)`,
        }
      : {}),
  };
}

/** The upgrade check from the file's version to `to`, as one check. */
export function upgradeCheck(r: UpgradeResult): DeployCheck {
  const checks = r.steps.flatMap((s) => s.probe.checks);
  return {
    id: 'upgrade',
    title: `the upgrade ${r.from} -> ${r.to} keeps keys, credentials and workflows working`,
    section: 'D',
    scenarios: ['authlab upgrade'],
    how: 'run',
    passed: r.passed,
    evidence: [...checks.map((c) => `${c.ok ? 'ok' : 'FAILED'}: ${c.what}: ${c.evidence}`), ...r.steps.flatMap((s) => s.changes).map((c) => `changed: ${c}`)],
    ...(r.passed ? {} : { fix: `do not upgrade to ${r.to} before the failures above are understood; see authlab upgrade --from ${r.from} --to ${r.to}` }),
  };
}
