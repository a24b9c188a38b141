import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new build context holding a copy of the recipe folder's files, for a recipe that adds downloads to it. The caller removes it. */
export async function copiedRecipe(recipeDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'authlab-service-'));
  for (const file of await readdir(recipeDir)) await copyFile(join(recipeDir, file), join(dir, file));
  return dir;
}
