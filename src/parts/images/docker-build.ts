import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { docker } from '../../docker/docker.ts';
import { PROJECT, LABEL_PROJECT } from '../../docker/labels.ts';

const LABEL_RECIPE = 'dev.authlab.recipe';

export type Progress = (line: string) => void;

interface BuildRequest {
  contextDir: string;
  tag: string;
  buildArgs?: Record<string, string>;
  /** Anything that changes the image: the recipe label holds its hash, and a mismatch rebuilds. */
  recipe: string;
  progress?: Progress;
  /** Ignore the layer cache (the benchmark's cold build). Cache mounts stay: they hold downloads. */
  noCache?: boolean;
  /** Build with BuildKit, for `RUN --mount=type=cache` (the engine's built-in frontend). */
  buildkit?: boolean;
  /** Each line the build's steps print (not the step lines themselves). */
  onOutput?: (line: string) => void;
  /**
   * False for an image whose containers others start (authlab's own): a container inherits its
   * image's labels, and a sweep takes a container with the project's label and no live owner for an orphan.
   */
  projectLabel?: boolean;
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

/** The tags of a repository's local images (`authlab/traefik` -> `authlab/traefik:3.3.6`, ...). */
export async function localTags(repo: string): Promise<string[]> {
  const engine = await docker();
  const listed = await engine.listImages({ filters: JSON.stringify({ reference: [repo] }) });
  return listed.flatMap((image) => image.RepoTags ?? []).filter((tag) => tag.startsWith(`${repo}:`));
}

/** An image's id (its content), or undefined when the engine has no such image. */
export async function imageId(tag: string): Promise<string | undefined> {
  const engine = await docker();
  return engine
    .getImage(tag)
    .inspect()
    .then((info) => info.Id)
    .catch(() => undefined);
}

interface BuildEvent {
  stream?: string;
  error?: string;
}
type FollowProgress = (stream: NodeJS.ReadableStream, done: (err: Error | null, output: BuildEvent[]) => void, each: (e: BuildEvent) => void) => void;

/**
 * Builds with the engine's API and reports each Dockerfile step, so a long build shows it is alive;
 * `onOutput` gets every line the build's RUN steps print. BuildKit builds (cache mounts) go through
 * dockerode's decoder of BuildKit's status stream.
 */
export async function buildImage(req: BuildRequest): Promise<void> {
  const engine = await docker();
  const src = await readdir(req.contextDir);
  const stream = await engine.buildImage({ context: req.contextDir, src }, {
    t: req.tag,
    buildargs: req.buildArgs ?? {},
    labels: { [LABEL_RECIPE]: req.recipe, ...(req.projectLabel === false ? {} : { [LABEL_PROJECT]: PROJECT }) },
    rm: true,
    forcerm: true,
    nocache: req.noCache ?? false,
    ...(req.buildkit ? { version: '2' } : {}),
  } as Parameters<typeof engine.buildImage>[1]);
  const follow: FollowProgress = req.buildkit
    ? (engine as unknown as { followProgress: FollowProgress }).followProgress.bind(engine)
    : engine.modem.followProgress.bind(engine.modem);
  const tail: string[] = [];
  const stepsSeen = new Set<string>(); // BuildKit repeats a running step in each status update
  const output = req.buildkit ? buildKitOutput() : (text: string) => text.trimEnd().split('\n');
  await new Promise<void>((resolve, reject) => {
    follow(
      stream,
      (err, output) => {
        const failed = err?.message ?? output?.find((o) => o.error)?.error ?? buildKitError(tail);
        if (failed) reject(new Error(`building ${req.tag} failed: ${failed}\n${tail.join('')}`));
        else resolve();
      },
      (event) => {
        if (!event.stream) return;
        const step = buildStep(event.stream);
        const lines = step ? [step] : output(event.stream).filter(Boolean);
        tail.push(...lines.map((l) => `${l}\n`));
        tail.splice(0, Math.max(0, tail.length - 30));
        if (step && !stepsSeen.has(step)) req.progress?.(step.slice(0, 140));
        if (step) stepsSeen.add(step);
        else for (const line of lines) req.onOutput?.(line);
      },
    );
  });
}

// A classic builder's "Step 3/9 : RUN ..." or a BuildKit vertex's "[sha256:01234] [stage-0 3/9] RUN ..."
// (or "CACHED: [stage-0 3/9] RUN ..."), as dockerode's BuildKit decoder writes them.
const STEP = /^(?:\[sha256:[0-9a-f]+\] )?((?:CACHED: )?(?:Step \d+\/\d+ : |\[(?:[\w-]+ +)?\d+\/\d+\] ).*)/;

export function buildStep(text: string): string | undefined {
  return STEP.exec(text)?.[1];
}

/**
 * The lines of a BuildKit build's RUN output. dockerode's decoder hands each log message on as the
 * base64 of its bytes (it converts protobuf bytes to strings that way); a message may end mid-line.
 */
export function buildKitOutput(): (text: string) => string[] {
  let carry = '';
  return (text) => {
    const trimmed = text.trim();
    if (!BASE64.test(trimmed)) return [trimmed];
    const lines = (carry + Buffer.from(trimmed, 'base64').toString('utf8')).split('\n');
    carry = lines.pop() ?? '';
    return lines;
  };
}
const BASE64 = /^(?=.)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function buildKitError(tail: string[]): string | undefined {
  return tail.find((l) => l.startsWith('ERROR: '))?.trim();
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
