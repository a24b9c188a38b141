/**
 * The search of `authlab bisect`, apart from Docker and n8n: which release to try next, and what the
 * tries say. It assumes what `git bisect` assumes: the behaviour changes once over the releases in
 * semver order (every release before the change behaves as --good, every one from it on differs
 * from --good). A release that came out of order (a patch of an older line published after a newer
 * line changed) can break that; the answer then names *a* release where the behaviour differs next
 * to one where it does not, not necessarily the only one.
 */

/** What trying one release gave: its behaviour, compared as a string, or why it could not be tried. */
export type Probe = { kind: 'judged'; behaviour: string } | { kind: 'skipped'; reason: string };

/** One try, in the order they were made. */
export interface BisectStep {
  version: string;
  /** `same`: behaves as --good; `differs`: otherwise; `skipped`: could not be built or judged. */
  outcome: 'same' | 'differs' | 'skipped';
  behaviour?: string;
  reason?: string;
  /** Releases strictly between the last known `same` and the first known `differs` before this try. */
  left: number;
  /** After this try: the last release known to behave as --good, and the first known to differ. */
  interval: [string, string];
}

export interface BisectResult {
  /** The last release that behaves as --good. */
  lastSame: string;
  /** The first release whose behaviour differs from --good's (when no skipped release is in the way). */
  firstDiffering?: string;
  /** When skipped releases sit between lastSame and the first known differing one: the change is in one of these. */
  candidates: string[];
  skipped: Array<{ version: string; reason: string }>;
  steps: BisectStep[];
}

/**
 * The next release to try between `lo` and `hi` (indices of the last known same and first known
 * differing): the untried one nearest the middle, the lower on a tie (a skipped release's
 * neighbour, as `git bisect skip` does); undefined when none is left.
 */
export function nextIndex(lo: number, hi: number, skipped: ReadonlySet<number>): number | undefined {
  const middle = (lo + hi) / 2;
  let best: number | undefined;
  for (let i = lo + 1; i < hi; i++) {
    if (skipped.has(i)) continue;
    if (best === undefined || Math.abs(i - middle) < Math.abs(best - middle)) best = i;
  }
  return best;
}

/**
 * Binary search over `releases` (sorted, --good first and --bad last, both already tried: --good
 * behaves as `goodBehaviour`, --bad otherwise) for the first release whose behaviour differs from
 * --good's. `probe` tries one release; `onStep` hears each try as it is made.
 */
export async function bisect(
  releases: readonly string[],
  goodBehaviour: string,
  probe: (version: string) => Promise<Probe>,
  onStep: (step: BisectStep) => void = () => undefined,
): Promise<BisectResult> {
  if (releases.length < 2) throw new Error('bisect needs --good and --bad among the releases');
  let lo = 0;
  let hi = releases.length - 1;
  const skippedAt = new Set<number>();
  const skipped: BisectResult['skipped'] = [];
  const steps: BisectStep[] = [];
  for (let i = nextIndex(lo, hi, skippedAt); i !== undefined; i = nextIndex(lo, hi, skippedAt)) {
    const version = releases[i]!;
    const left = hi - lo - 1;
    const tried = await probe(version);
    let step: BisectStep;
    if (tried.kind === 'skipped') {
      skippedAt.add(i);
      skipped.push({ version, reason: tried.reason });
      step = { version, outcome: 'skipped', reason: tried.reason, left, interval: [releases[lo]!, releases[hi]!] };
    } else {
      const same = tried.behaviour === goodBehaviour;
      if (same) lo = i;
      else hi = i;
      step = { version, outcome: same ? 'same' : 'differs', behaviour: tried.behaviour, left, interval: [releases[lo]!, releases[hi]!] };
    }
    steps.push(step);
    onStep(step);
  }
  const between = releases.slice(lo + 1, hi);
  return {
    lastSame: releases[lo]!,
    ...(between.length === 0 ? { firstDiffering: releases[hi]! } : {}),
    candidates: between.length === 0 ? [] : [...between, releases[hi]!],
    skipped,
    steps,
  };
}
