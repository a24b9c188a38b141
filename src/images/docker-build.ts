import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { docker } from '../stack/docker.ts';
import { PROJECT, LABEL_PROJECT } from '../stack/labels.ts';

export const LABEL_RECIPE = 'dev.authlab.recipe';

export type Progress = (line: string) => void;

export interface BuildRequest {
  contextDir: string;
  tag: string;
  buildArgs?: Record<string, string>;
  /** Anything that changes the image: the recipe label holds its hash, and a mismatch rebuilds. */
  recipe: string;
  progress?: Progress;
  /** Ignore the layer cache (the benchmark's cold build). */
  noCache?: boolean;
}

export function recipeHash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

/** The hash of a recipe folder's files (its Dockerfile and scripts). */
export async function folderHash(dir: string): Promise<string> {
  const names = (await readdir(dir)).sort();
  const contents = await Promise.all(names.map(async (n) => `${n}\n${await readFile(`${dir}/${n}`, 'utf8')}`));
  return recipeHash(contents);
}

/** True when `tag` exists locally and was built from this very recipe. */
export async function hasImage(tag: string, recipe?: string): Promise<boolean> {
  const engine = await docker();
  try {
    const info = await engine.getImage(tag).inspect();
    return recipe === undefined || info.Config?.Labels?.[LABEL_RECIPE] === recipe;
  } catch {
    return false;
  }
}

/** Builds with the engine's API and reports each Dockerfile step, so a long build shows it is alive. */
export async function buildImage(req: BuildRequest): Promise<void> {
  const engine = await docker();
  const src = await readdir(req.contextDir);
  const stream = await engine.buildImage(
    { context: req.contextDir, src },
    { t: req.tag, buildargs: req.buildArgs ?? {}, labels: { [LABEL_RECIPE]: req.recipe, [LABEL_PROJECT]: PROJECT }, rm: true, forcerm: true, nocache: req.noCache ?? false },
  );
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    engine.modem.followProgress(
      stream,
      (err: Error | null, output: Array<{ error?: string }>) => {
        const failed = err?.message ?? output?.find((o) => o.error)?.error;
        if (failed) reject(new Error(`building ${req.tag} failed: ${failed}\n${tail.join('')}`));
        else resolve();
      },
      (event: { stream?: string; error?: string }) => {
        if (!event.stream) return;
        tail.push(event.stream);
        if (tail.length > 30) tail.shift();
        const step = /^Step \d+\/\d+ : .*/.exec(event.stream);
        if (step) req.progress?.(step[0].slice(0, 140));
      },
    );
  });
}

/**
 * Pulls an image; false (not an error) when no registry serves it, or the engine reports nothing
 * for `quietMs` (no registry answers, or a download stalled). The deadline is for silence, not for
 * the whole pull: a large image through a slow mirror may take minutes. A pull given up on is
 * aborted, so nothing of it is left pending in this process.
 */
export async function tryPull(image: string, quietMs = 30_000): Promise<boolean> {
  const engine = await docker();
  const abort = new AbortController();
  const silence = setTimeout(() => abort.abort(), quietMs);
  try {
    const stream = await engine.pull(image, { abortSignal: abort.signal });
    const failed = await new Promise<boolean>((resolve) => {
      engine.modem.followProgress(
        stream,
        (err: Error | null, output: Array<{ error?: string }>) => resolve(err !== null || (output ?? []).some((o) => o.error)),
        () => silence.refresh(),
      );
    });
    return !failed && (await hasImage(image));
  } catch {
    return false;
  } finally {
    clearTimeout(silence);
  }
}
