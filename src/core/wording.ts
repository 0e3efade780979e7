/** `1 file`, `2 files`: a count with its noun, for every report (regular plurals only). */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
