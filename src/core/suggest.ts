/** Edit distance (insertions, deletions, substitutions, adjacent swaps): `chek` is 1 from `check`. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (const [i, row] of rows.entries()) {
    if (i === 0) continue;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(cell(rows, i - 1, j) + 1, cell(rows, i, j - 1) + 1, cell(rows, i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, cell(rows, i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return cell(rows, a.length, b.length);
}

/** A cell of the distance table (every read is inside it). */
function cell(rows: readonly number[][], i: number, j: number): number {
  return rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
}

/** The candidate closest to a mistyped word, if one is close enough to be what was meant (as git's "did you mean"). */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; score: number } | undefined;
  for (const name of candidates) {
    const score = distance(word.toLowerCase(), name.toLowerCase());
    if (score <= limit && (!best || score < best.score)) best = { name, score };
  }
  return best?.name;
}
