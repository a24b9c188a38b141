import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { makeTestCertificate } from '../src/parts/browser/test-certificate.ts';
import { edits } from '../src/parts/proxy/nginx-config.ts';
import { nginxSite } from '../src/parts/proxy/site-config.ts';
import { startAuthStack, type StartedAuthStack } from '../src/parts/stack/auth-stack.ts';
import { StartedNginxContainer } from '../src/parts/stack/nginx-container.ts';
import { authlab, type Exit } from './support/cli.ts';
import { testVersions } from './support/versions.ts';

// `authlab doctor` against a real n8n behind a real NGINX that blanks X-N8N-API-KEY, served over
// plain http and then over TLS with a certificate this test makes with openssl: the doctor must
// name the same failure modes through TLS as over http. One stack, the newest version run.
const version = testVersions().at(-1)!;
/** An API key real n8n minted under another encryption key (fixtures/keys): one this n8n never issued. */
const FOREIGN_KEY = (JSON.parse(readFileSync(new URL('../fixtures/keys/n8n-2.41.0.json', import.meta.url), 'utf8')) as { derived: { keys: { plain: string } } })
  .derived.keys.plain;
/** The certificate's name: NGINX is published on 127.0.0.1 only. */
const HOST = '127.0.0.1';

let stack: StartedAuthStack;
let nginx: StartedNginxContainer;
const dir = mkdtempSync(join(tmpdir(), 'authlab-doctor-tls-'));
const caBundle = join(dir, 'ca.pem');
const encryptionKeyFile = join(dir, 'encryption-key');
/** Each key travels in its own variable, as --key-env reads it. */
const env: NodeJS.ProcessEnv = { AUTHLAB_DOCTOR_FOREIGN_KEY: FOREIGN_KEY };

beforeAll(async () => {
  const blanking = nginxSite('guide-example', edits.blankKeyHeader);
  stack = await startAuthStack(
    { name: 'doctor-tls', proxies: ['nginx'] },
    { version, image: inject('n8nImages')[version]!, serviceImages: inject('serviceImages'), proxies: { nginx: { config: await blanking.render() } } },
  );
  const server = stack.proxy?.servers.nginx;
  if (!(server instanceof StartedNginxContainer)) throw new Error('the stack started without NGINX');
  nginx = server;
  const cert = await makeTestCertificate(HOST, dir);
  writeFileSync(caBundle, cert.certPem);
  writeFileSync(encryptionKeyFile, stack.primary.container.settings.encryptionKey ?? '');
  env.AUTHLAB_DOCTOR_KEY = stack.primary.apiKey.rawApiKey;
  await nginx.installCertificate(cert);
}, 15 * 60_000);
afterAll(() => stack?.stop());

const n8nUrl = () => stack.primary.container.getBaseUrl();
const nginxUrl = (scheme: 'http' | 'https') => `${scheme}://${HOST}:${new URL(nginx.getBaseUrl()).port}`;

/** The doctor's three uses, each against NGINX: as n8n's URL, as the proxy in front of it, and a webhook URL through it. */
function doctorRuns(base: string, trust: string[]): Record<string, string[]> {
  const common = ['--executions', '0', ...trust];
  return {
    direct: ['--url', base, '--key-env', 'AUTHLAB_DOCTOR_FOREIGN_KEY', '--encryption-key-file', encryptionKeyFile, ...common],
    proxy: ['--url', n8nUrl(), '--proxy-url', base, '--key-env', 'AUTHLAB_DOCTOR_KEY', ...common],
    webhook: ['--url', n8nUrl(), '--webhook-url', `${base}/webhook/authlab-doctor-tls`, ...common],
  };
}

/** What each run named first (its FOUND lines), with its exit code. */
async function named(runs: Record<string, string[]>): Promise<Record<string, { code: number | null; modes: string[] }>> {
  const seen: Record<string, { code: number | null; modes: string[] }> = {};
  for (const [use, args] of Object.entries(runs)) {
    const r: Exit = await authlab(['doctor', ...args], env);
    seen[use] = { code: r.code, modes: [...r.stdout.matchAll(/^FOUND {3}([\w-]+):/gm)].map((m) => m[1]!) };
  }
  return seen;
}

const EXPECTED = {
  direct: { code: 1, modes: ['key-not-issued-here'] },
  proxy: { code: 1, modes: ['proxy-loses-key'] },
  webhook: { code: 1, modes: ['webhook-not-registered'] },
};

describe(`the doctor over https, through NGINX serving TLS with a certificate the test makes (n8n ${version})`, () => {
  test('over plain http, NGINX blanking the key: a key another n8n issued, the proxy losing the key, a webhook not registered', async () => {
    await nginx.applySiteConfig(await nginxSite('guide-example', edits.blankKeyHeader).render());
    expect(await named(doctorRuns(nginxUrl('http'), []))).toEqual(EXPECTED);
  });

  test('over https with --ca-bundle, the same NGINX with TLS on: the same failure modes', async () => {
    const config = await nginx.applySiteConfig(await nginxSite('guide-example', edits.blankKeyHeader, edits.tls).render());
    expect(config).toMatch(/listen\s+80\s+ssl/);
    expect(await named(doctorRuns(nginxUrl('https'), ['--ca-bundle', caBundle]))).toEqual(EXPECTED);
  });

  test('over https with --insecure: the same failure mode, the certificate not checked', async () => {
    expect(await named({ proxy: doctorRuns(nginxUrl('https'), ['--insecure']).proxy! })).toEqual({ proxy: EXPECTED.proxy });
  });

  test('over https without the CA: the proxy is unreachable for TLS (exit 3), with --ca-bundle as the next step and what went unchecked', async () => {
    const r = await authlab(['doctor', ...doctorRuns(nginxUrl('https'), []).proxy!], env);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stdout).toMatch(/^UNREACHABLE proxy at https:\/\/127\.0\.0\.1:\d+: no TLS connection \(DEPTH_ZERO_SELF_SIGNED_CERT/m);
    expect(r.stdout).toMatch(/^ {8}next: .*--ca-bundle/m);
    expect(r.stdout).toMatch(/^UNCHECKED the key through the proxy .*: the proxy did not answer$/m);
    expect(r.stdout + r.stderr).not.toContain(env.AUTHLAB_DOCTOR_KEY);
  });

  test("plain http to NGINX's TLS port: NGINX's 400 is told as a scheme to change, not a finding (exit 3)", async () => {
    const r = await authlab(['doctor', ...doctorRuns(nginxUrl('http'), []).proxy!], env);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stdout).toMatch(
      /^UNREACHABLE proxy at http:\/\/127\.0\.0\.1:\d+: no TLS connection \(HTTP_TO_HTTPS_PORT: 400 The plain HTTP request was sent to HTTPS port\)$/m,
    );
    expect(r.stdout).toMatch(/^ {8}next: that port serves TLS and was asked in plain http: use https:\/\//m);
    expect(r.stdout).not.toMatch(/^FOUND/m);
  });
});
