import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { hasImage } from '../src/parts/images/docker-build.ts';
import { officialN8nImage } from '../src/parts/images/n8n-image.ts';
import { mirroredName } from '../src/parts/images/official-image.ts';
import { resolveServiceImage, SERVICE_IMAGES } from '../src/parts/images/service-images.ts';
import { docker } from '../src/docker/docker.ts';
import { authlab, expectPromptExit, leftBehind } from './support/cli.ts';
import { installRegistry, startLocalRegistry, type LocalRegistry } from './support/local-registry.ts';
import { testVersions } from './support/versions.ts';

const sh = promisify(execFile);
const version = testVersions()[0]!; // the oldest default: the smaller image to push
const n8nOfficial = officialN8nImage(version);
const redisOfficial = SERVICE_IMAGES.redis.official;
/** Every name this file tags: removed at the end (tags only: the offline images they point at stay). */
const tagged = new Set<string>();

/** Pushes a local image to the mirror under an official image's name there, as a company mirror serves it. */
async function serveOnMirror(local: string, official: string, mirror: string): Promise<string> {
  const name = mirroredName(official, mirror);
  await sh('docker', ['tag', local, name]);
  tagged.add(name);
  await sh('docker', ['push', name], { maxBuffer: 16 * 1024 * 1024 });
  // Only the mirror has it now: what a run gets under this name, it pulled.
  await untag(name);
  return name;
}

async function untag(name: string): Promise<void> {
  await (await docker())
    .getImage(name)
    .remove({ noprune: true })
    .catch(() => undefined);
}

// The pull path needs the official names absent locally (else the local image is used as is), and
// must not remove a user's own official images to get there.
const present = (await Promise.all([n8nOfficial, redisOfficial].map(async (name) => ((await hasImage(name)) ? name : undefined)))).filter(Boolean);
const unavailable = present.length
  ? `the official ${present.join(', ')} exist locally already: the pull path cannot be shown without removing them`
  : await installRegistry();

describe.skipIf(unavailable !== undefined)(`pulls through a registry mirror (a real local registry)${unavailable ? `: skipped, ${unavailable}` : ''}`, () => {
  let mirror: LocalRegistry;

  beforeAll(async () => {
    mirror = await startLocalRegistry();
    tagged.add(n8nOfficial).add(redisOfficial);
    await serveOnMirror(inject('n8nImages')[version]!, n8nOfficial, mirror.host);
  });

  afterAll(async () => {
    for (const name of tagged) await untag(name);
    await mirror?.stop();
  });

  test(`authlab images and authlab run with --registry pull n8n ${version} from the mirror (no build), and a stack starts from it and answers`, async () => {
    const online = { AUTHLAB_OFFLINE: '0' };
    const images = await authlab(['images', '--n8n', version, '--registry', mirror.host], online);
    expect(images.code, images.stderr).toBe(0);
    expect(images.stdout).toContain(`n8n ${version}: ${n8nOfficial}`);
    expect(images.stderr).toContain(`pulled ${n8nOfficial} through the registry mirror ${mirror.host} (as ${mirror.host}/n8nio/n8n:${version})`);
    expect(images.stderr).not.toMatch(/building|offline build/);
    expect(await hasImage(mirroredName(n8nOfficial, mirror.host)), 'the mirror name is dropped after the pull').toBe(false);
    expectPromptExit(images, 'authlab images');

    // Pulled again by the run (the environment variable this time), then started.
    await untag(n8nOfficial);
    const runId = `mirror-${Date.now().toString(36)}`;
    const out = mkdtempSync(join(tmpdir(), 'authlab-mirror-'));
    const run = await authlab(['run', '--n8n', version, '--only', 'headers.missing-header', '--out', out], {
      ...online,
      AUTHLAB_REGISTRY: mirror.host,
      AUTHLAB_RUN_ID: runId,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`pulled ${n8nOfficial} through the registry mirror ${mirror.host}`);
    expect(run.stdout).toMatch(/n8n \S+ headers\.missing-header: real, as the guide says/);
    const report = JSON.parse(readFileSync(join(out, 'ledger.json'), 'utf8')) as { images: Record<string, string> };
    expect(report.images[version]).toBe(n8nOfficial);
    expectPromptExit(run, 'authlab run --registry');
    expect(await leftBehind(runId)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  test('a service image comes from the mirror when it serves it; one it does not serve falls back to the offline build, never to Docker Hub', async () => {
    await serveOnMirror(inject('serviceImages').redis!, redisOfficial, mirror.host);
    const said: string[] = [];
    const opts = { offline: false, registry: mirror.host, progress: (l: string) => said.push(l) };
    expect(await resolveServiceImage('redis', opts)).toBe(redisOfficial);
    expect(said).toContain(`pulled ${redisOfficial} through the registry mirror ${mirror.host} (as ${mirror.host}/library/redis:7)`);
    const caddy = SERVICE_IMAGES.caddy;
    expect(await resolveServiceImage('caddy', opts)).toBe(caddy.offline.tag);
    expect(said).toContain(`the registry mirror ${mirror.host} does not serve ${mirror.host}/library/${caddy.official}`);
  });

  test('a --registry with a scheme is bad input, named in one line before anything is pulled (exit 2)', async () => {
    const r = await authlab(['images', '--n8n', version, '--registry', `http://${mirror.host}`], { AUTHLAB_OFFLINE: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `authlab: --registry takes a registry mirror as host[:port][/prefix] with no scheme (mirror.example.com, harbor.example.com/dockerhub, 127.0.0.1:5000), not "http://${mirror.host}"`,
    ]);
  });
});
