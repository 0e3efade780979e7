// `# secure-flask: ignore[run-debug, env-file-debug]`, or `# secure-flask: ignore` for every rule.
/** Text every suppression comment contains: a file without it has none. */
export const SUPPRESSION_MARK = 'secure-flask:';
const SUPPRESSION = /#\s*secure-flask:\s*ignore(?:\[([^\]]*)\])?/;

function suppressionOn(line: string | undefined): Set<string> | 'all' | undefined {
  if (line === undefined) return undefined;
  const match = SUPPRESSION.exec(line);
  if (!match) return undefined;
  if (match[1] === undefined) return 'all';
  return new Set(match[1].split(',').map((id) => id.trim()).filter(Boolean));
}

/**
 * Rule ids named in suppression comments that no rule has (a typo silences nothing):
 * each with its 1-based line, so the user is warned as Ruff warns of unknown `noqa` codes.
 */
export function unknownSuppressionIds(text: string, known: ReadonlySet<string>): { line: number; id: string }[] {
  const unknown: { line: number; id: string }[] = [];
  text.split('\n').forEach((line, index) => {
    const found = suppressionOn(line);
    if (found === undefined || found === 'all') return;
    for (const id of found) if (!known.has(id)) unknown.push({ line: index + 1, id });
  });
  return unknown;
}

/**
 * True when the finding's first or last line carries the comment, or the line
 * above it is a comment-only line that does (for files where a trailing
 * comment would change the value, such as .env files).
 */
export function isSuppressed(lines: string[], ruleId: string, firstLine: number, lastLine: number): boolean {
  const candidates = [lines[firstLine - 1], lines[lastLine - 1]];
  const above = lines[firstLine - 2];
  if (above !== undefined && above.trimStart().startsWith('#')) candidates.push(above);
  return candidates.some((line) => {
    const found = suppressionOn(line);
    return found === 'all' || (found !== undefined && found.has(ruleId));
  });
}
