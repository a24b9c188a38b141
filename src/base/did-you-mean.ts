/**
 * Edit distance between two words (Damerau's optimal string alignment: an insertion, a deletion, a
 * substitution or two neighbours swapped each cost 1), case ignored: `lsit` is 1 from `list`.
 */
export function editDistance(a: string, b: string): number {
  const [s, t] = [a.toLowerCase(), b.toLowerCase()];
  // d[i][j]: the distance between the first i characters of s and the first j of t.
  const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[s.length]![t.length]!;
}

/**
 * The valid name a mistyped one most likely meant: the closest by edit distance, only when it is
 * close (at most one edit per five characters, at least one: `headers.nope` is not close to `headers.nbsp`) and no other name is as close.
 * @example closestName('familly', ['family', 'only']) === 'family'; closestName('3.9', ['3.1', '3.2']) === undefined
 */
export function closestName(typed: string, valid: readonly string[]): string | undefined {
  const most = Math.max(1, Math.floor(typed.length / 5));
  const near = valid.map((name) => ({ name, distance: editDistance(typed, name) })).filter((c) => c.distance <= most);
  const best = Math.min(...near.map((c) => c.distance));
  const closest = near.filter((c) => c.distance === best);
  return closest.length === 1 ? closest[0]!.name : undefined;
}

/** ` (did you mean list?)` when a valid name is close to the typed one, else nothing. */
export function didYouMean(typed: string, valid: readonly string[]): string {
  const name = closestName(typed, valid);
  return name === undefined ? '' : ` (did you mean ${name}?)`;
}
