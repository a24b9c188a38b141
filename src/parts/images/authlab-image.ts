import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker } from '../../docker/docker.ts';
import { ensureBaseImage } from './base-image.ts';
import { buildImage, folderHash, hasImage } from './docker-build.ts';
import { npmRegistry } from './n8n-image.ts';
import { stageNodeService } from './node-service-context.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR, PACKAGE_ROOT } from './paths.ts';

const run = promisify(execFile);
const RECIPE_DIR = join(CONTAINERS_DIR, 'authlab');
export const AUTHLAB_REPOSITORY = 'authlab/authlab';

const packageVersion = async (): Promise<string> => (JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * This package as `npm pack` makes it, into `dir` as authlab.tgz. A checkout (it has src/) is packed
 * with its `prepare` script, which compiles dist/; an installed package already holds dist/.
 */
async function packThisPackage(dir: string, progress: (line: string) => void): Promise<void> {
  const checkout = existsSync(join(PACKAGE_ROOT, 'src'));
  progress(`packing ${PACKAGE_ROOT}${checkout ? ' (npm pack: compiles dist/)' : ''}`);
  await run('npm', ['pack', '--silent', '--pack-destination', dir, ...(checkout ? [] : ['--ignore-scripts'])], {
    cwd: PACKAGE_ROOT,
    timeout: 10 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [file] = (await readdir(dir)).filter((n) => n.endsWith('.tgz') && n !== 'node.tgz' && n !== 'npm.tgz');
  if (!file) throw new Error(`npm pack in ${PACKAGE_ROOT} wrote no tarball`);
  await rename(join(dir, file), join(dir, 'authlab.tgz'));
}

/**
 * The image of this tool (containers/authlab), tagged `authlab/authlab:<version>` and `:latest`: the
 * package as packed, on Node from the npm registry, its dependencies installed from the registry
 * (exactly the checkout's package-lock.json where there is one). Rebuilt when anything in it changed.
 * @example resolveAuthlabImage(opts) // 'authlab/authlab:0.1.0', for `docker run ... authlab/authlab check ...`
 */
export async function resolveAuthlabImage(opts: ImageOptions): Promise<string> {
  const tag = `${AUTHLAB_REPOSITORY}:${await packageVersion()}`;
  const context = await stageNodeService(RECIPE_DIR, opts);
  try {
    await packThisPackage(context, opts.progress);
    const lock = join(PACKAGE_ROOT, 'package-lock.json');
    await writeFile(join(context, 'package-lock.json'), existsSync(lock) ? await readFile(lock) : '');
    const recipe = await folderHash(context);
    if (!(await hasImage(tag, recipe))) {
      await ensureBaseImage(opts);
      opts.progress(`building ${tag}`);
      const buildArgs = { NPM_REGISTRY: await npmRegistry(), AUTHLAB_VERSION: await packageVersion() };
      await buildImage({ contextDir: context, tag, recipe, progress: opts.progress, buildArgs, projectLabel: false });
    }
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  await (await docker()).getImage(tag).tag({ repo: AUTHLAB_REPOSITORY, tag: 'latest' });
  return tag;
}
