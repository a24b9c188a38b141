import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Copies the download kept at `kept` to `dest`, downloading it first when no earlier build did:
 * `download` writes one file ending in `ext` into a scratch folder beside `kept`, which is then
 * renamed into place (atomic: a parallel build sees all of it or nothing).
 */
export async function keptDownload(kept: string, dest: string, ext: string, download: (scratch: string) => Promise<void>): Promise<void> {
  if (!(await exists(kept))) {
    const dir = dirname(kept);
    await mkdir(dir, { recursive: true });
    const scratch = await mkdtemp(join(dir, '.download-'));
    try {
      await download(scratch);
      const [file] = (await readdir(scratch)).filter((n) => n.endsWith(ext));
      if (!file) throw new Error(`the download of ${kept} wrote no ${ext} file`);
      await rename(join(scratch, file), kept);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  await copyFile(kept, dest);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
