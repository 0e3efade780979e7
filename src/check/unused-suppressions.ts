/**
 * `secure-flask: ignore` comments that suppressed nothing in this run, as Ruff's RUF100 reports
 * unused `noqa` codes. Reported by default, as a warning that does not change the exit code:
 * the comment is ours alone (a `noqa` may serve other linters), and a stale one would silently
 * hide the next finding written on that line. Ids of rules this run did not use (`--select`,
 * `--ignore`, config) are left alone: nothing says they would not suppress something.
 */
export function unusedSuppressions(
  comments: readonly { line: number; ids: ReadonlySet<string> | 'all' }[],
  used: readonly { line: number; ruleId: string }[],
  activeRuleIds: ReadonlySet<string>,
): { line: number; message: string }[] {
  const usedOn = new Map<number, Set<string>>();
  for (const { line, ruleId } of used) usedOn.set(line, (usedOn.get(line) ?? new Set()).add(ruleId));
  return comments.flatMap(({ line, ids }) => {
    const usedHere = usedOn.get(line);
    if (ids === 'all')
      return usedHere ? [] : [{ line, message: 'this secure-flask: ignore comment suppresses nothing (remove it)' }];
    const unused = [...ids].filter((id) => activeRuleIds.has(id) && !usedHere?.has(id));
    if (unused.length === 0) return [];
    return [
      {
        line,
        message:
          `secure-flask: ignore[${unused.join(', ')}] suppresses nothing on this line ` +
          `(remove ${unused.length === 1 ? 'it' : 'them'})`,
      },
    ];
  });
}
