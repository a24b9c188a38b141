import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_N8N_VERSIONS } from '../src/parts/images/n8n-versions.ts';
import { PACKAGE_ROOT } from '../src/parts/images/paths.ts';
import { authlab, leftBehind } from './support/cli.ts';
import { testVersions } from './support/versions.ts';
import { bash, readWorkflow, runWorkflowSteps, type StepRun } from './support/workflow-steps.ts';

const RECIPE = join(PACKAGE_ROOT, 'examples/ci/authlab-check.yml');
const recipe = readWorkflow(RECIPE);
const NEWEST = testVersions().at(-1)!;
/** Another release, for a pull request that moves n8n (only named: the versions step needs no image of it). */
const OLDER = DEFAULT_N8N_VERSIONS.find((v) => v !== NEWEST)!;

/** A user's deployment as the recipe expects it: a compose file and the NGINX config in front of n8n, nothing else. */
const compose = (version: string) => `services:
  n8n:
    image: docker.n8n.io/n8nio/n8n:${version}
    restart: unless-stopped
    environment:
      - N8N_ENCRYPTION_KEY=\${N8N_ENCRYPTION_KEY:-a-key-kept-in-a-secret-store}
      - N8N_HOST=n8n.example.com
      - N8N_PROTOCOL=https
      - N8N_PROXY_HOPS=1
      - WEBHOOK_URL=https://n8n.example.com/
      - N8N_EDITOR_BASE_URL=https://n8n.example.com/
    ports:
      - "127.0.0.1:5678:5678"
    volumes:
      - n8n_data:/home/node/.n8n
volumes:
  n8n_data:
`;

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd, stdio: 'pipe' });

/** A folder holding only a compose file (n8n `version`) and the NGINX config in front of n8n. */
function deploymentFolder(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'authlab-user-repo-'));
  writeFileSync(join(dir, 'docker-compose.yml'), compose(version));
  mkdirSync(join(dir, 'nginx'));
  cpSync(join(PACKAGE_ROOT, 'fixtures/deployments/nginx/good.conf'), join(dir, 'nginx/n8n.conf'));
  return dir;
}

/**
 * The user's repository: `main` as deployed (n8n NEWEST), `old` on another release (OLDER), and the
 * pull request's branch checked out; `origin` is the repository itself, so the recipe's fetch of the base works.
 */
function userRepository(): string {
  const dir = deploymentFolder(OLDER);
  git(dir, 'init', '--quiet', '--initial-branch=old');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'n8n as deployed last year');
  git(dir, 'checkout', '--quiet', '-b', 'main');
  writeFileSync(join(dir, 'docker-compose.yml'), compose(NEWEST));
  git(dir, 'commit', '--quiet', '-am', 'n8n as deployed now');
  git(dir, 'checkout', '--quiet', '-b', 'pull-request');
  git(dir, 'remote', 'add', 'origin', dir);
  return dir;
}

const runnerTemp = () => mkdtempSync(join(tmpdir(), 'authlab-runner-temp-'));
const said = (runs: StepRun[]) => runs.map((r) => `$ ${r.step.name ?? r.step.run}\n${r.stdout}${r.stderr}`).join('\n');

describe('Install: the packed package, installed in an empty folder, runs the CI recipe', () => {
  let tarball: string;
  let repo: string;

  beforeAll(() => {
    // As a user makes it from a clone: `prepare` compiles dist/.
    const packs = mkdtempSync(join(tmpdir(), 'authlab-pack-'));
    execFileSync('npm', ['pack', '--silent', '--pack-destination', packs], { cwd: PACKAGE_ROOT, stdio: 'pipe' });
    tarball = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz'))!);
    repo = userRepository();
  });

  test('the package holds what runs outside a checkout (the compiled CLI, the image recipes, the fixtures) and the CI recipe; no sources', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const f of [
      'package/bin/authlab.js',
      'package/dist/cli/main.js',
      'package/containers/n8n/Dockerfile',
      'package/containers/authlab/Dockerfile',
      'package/fixtures/workflows',
    ])
      expect(
        files.some((l) => l.startsWith(f)),
        f,
      ).toBe(true);
    expect(files.filter((l) => l.startsWith('package/src/') || l.startsWith('package/suites/'))).toEqual([]);
  });

  test("the recipe's steps, as written, install the package and check the compose file and its NGINX config (no upgrade when the version stays)", async () => {
    const runId = `install-${Date.now().toString(36)}`;
    const runs = await runWorkflowSteps(
      recipe,
      repo,
      { RUNNER_TEMP: runnerTemp(), GITHUB_BASE_REF: 'main' },
      { AUTHLAB_PACKAGE: tarball, AUTHLAB_RUN_ID: runId },
    );
    const log = said(runs);
    expect(
      runs.map((r) => [r.step.name, r.code]),
      log,
    ).toEqual(recipe.steps.filter((s) => s.run).map((s) => [s.name, 0]));
    // Installed from the tarball into the folder: npx runs the installed CLI, which runs dist/.
    expect(existsSync(join(repo, 'node_modules/n8n-authlab/dist/cli/main.js'))).toBe(true);
    expect(existsSync(join(repo, 'node_modules/n8n-authlab/src'))).toBe(false);
    expect(runs[1]!.outputs).toEqual({ from: NEWEST, to: NEWEST });
    const check = runs[2]!;
    expect(check.stdout).toContain('PASS  key-through-proxy');
    expect(check.stdout).toMatch(/docker-compose\.yml \(n8n, n8n [\d.]+\): all \d+ checks passed; reports: check\.html, check-junit\.xml, check\.json in /);
    // The image recipes resolve from node_modules/n8n-authlab/containers, to the same images as the checkout's: nothing rebuilt.
    expect(check.stderr).not.toMatch(/building authlab\//);
    // What the publishing steps name is there.
    for (const s of recipe.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact') || s.uses?.includes('junit'))) {
      const path = s.with?.path ?? s.with?.report_paths;
      expect(path && existsSync(join(repo, path)), `${s.uses} publishes ${path}`).toBe(true);
    }
    expect(readFileSync(join(repo, 'authlab-reports/check.html'), 'utf8')).toContain('docker-compose.yml: all ');
    expect(readFileSync(join(repo, 'authlab-reports/check-junit.xml'), 'utf8')).toContain('failures="0"');
    expect(await leftBehind(runId), 'what the check left behind').toEqual({ containers: [], networks: [], volumes: [] });
  });

  test("a pull request that moves n8n: the versions step names the base branch's release and the pull request's (the check's --n8n and --to)", async () => {
    const runs = await runWorkflowSteps(
      recipe,
      repo,
      { RUNNER_TEMP: runnerTemp(), GITHUB_BASE_REF: 'old' },
      { AUTHLAB_PACKAGE: tarball },
      (s) => /install/i.test(s.name ?? '') || s.id === 'versions',
    );
    const versions = runs.find((r) => r.step.id === 'versions');
    expect(versions?.code, said(runs)).toBe(0);
    expect(versions!.outputs).toEqual({ from: OLDER, to: NEWEST });
    expect(versions!.stdout).toContain(`n8n ${OLDER} -> ${NEWEST}`);
  });
});

/** The `docker run` command docs/install.md gives (its first sh block that starts with it), as a user copies it. */
function documentedDockerRun(): string {
  const page = readFileSync(join(PACKAGE_ROOT, 'docs/install.md'), 'utf8');
  const block = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith('docker run '));
  if (!block) throw new Error('docs/install.md gives no docker run command');
  return block;
}

describe("The authlab image runs check with the host's Docker socket", () => {
  beforeAll(async () => {
    const built = await authlab(['images', '--authlab']);
    expect(built.code, built.stdout + built.stderr).toBe(0);
  });

  test('the docker run command of docs/install.md, run as written, checks the compose file and NGINX config of the folder it runs in', async () => {
    const dir = deploymentFolder(NEWEST);
    const r = await bash(documentedDockerRun(), dir, process.env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('PASS  key-through-proxy');
    // The paths are the host's: the folder is mounted where it is.
    expect(r.stdout).toContain(`all 6 checks passed; reports: check.html, check-junit.xml, check.json in ${dir}/authlab-reports`);
    expect(readFileSync(join(dir, 'authlab-reports/check-junit.xml'), 'utf8')).toContain('failures="0"');
  });

  test('without --pid host it refuses to start containers, in one line (exit 2)', async () => {
    const dir = deploymentFolder(NEWEST);
    const r = await bash(documentedDockerRun().replace('--pid host ', ''), dir, process.env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('authlab: run this image with --pid host (and --network host, and the Docker socket mounted): docs/install.md');
    expect(existsSync(join(dir, 'authlab-reports'))).toBe(false);
  });
});
