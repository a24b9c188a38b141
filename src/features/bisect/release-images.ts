import { docker } from '../../docker/docker.ts';

/** The images of one n8n version this project may hold: its offline build, its layers over it, the official one. */
const referencesOf = (version: string): string[] => [`authlab/n8n:${version}`, `authlab/n8n:${version}-*`, `n8nio/n8n:${version}`];

/** Each tag of a version's images, with the image id it names now. */
export async function versionImages(version: string): Promise<Map<string, string>> {
  const engine = await docker();
  const listed = await engine.listImages({ filters: JSON.stringify({ reference: referencesOf(version) }) });
  const tags = new Map<string, string>();
  for (const image of listed) for (const tag of image.RepoTags ?? []) tags.set(tag, image.Id);
  return tags;
}

/** The tags that are new, or name another image, after than before: what was built or pulled in between. */
export function madeBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Array<{ tag: string; id: string }> {
  return [...after].filter(([tag, id]) => before.get(tag) !== id).map(([tag, id]) => ({ tag, id }));
}

/**
 * Removes images this process made, each by its tag and only while the tag still names the image
 * it made (another run may have rebuilt it since). Returns what it removed and what it left, with why.
 */
export async function removeMadeImages(
  made: ReadonlyArray<{ tag: string; id: string }>,
): Promise<{ removed: string[]; kept: Array<{ tag: string; why: string }> }> {
  const engine = await docker();
  const removed: string[] = [];
  const kept: Array<{ tag: string; why: string }> = [];
  // Layers first: an image with a child cannot be removed.
  const order = [...made].sort((a, b) => b.tag.length - a.tag.length);
  for (const { tag, id } of order) {
    const now = await engine
      .getImage(tag)
      .inspect()
      .then((i) => i.Id)
      .catch(() => undefined);
    if (now !== id) {
      kept.push({ tag, why: now === undefined ? 'already gone' : 'the tag names another image now' });
      continue;
    }
    try {
      await engine.getImage(tag).remove({ noprune: false });
      removed.push(tag);
    } catch (err) {
      kept.push({ tag, why: (err as Error).message.split('\n')[0]! });
    }
  }
  return { removed, kept };
}
