// `# secure-flask: ignore[run-debug, env-file-debug]`, or `# secure-flask: ignore` for every rule.
const SUPPRESSION = /#\s*secure-flask:\s*ignore(?:\[([^\]]*)\])?/;

function suppressionOn(line: string | undefined): Set<string> | 'all' | undefined {
  if (line === undefined) return undefined;
  const match = SUPPRESSION.exec(line);
  if (!match) return undefined;
  if (match[1] === undefined) return 'all';
  return new Set(match[1].split(',').map((id) => id.trim()).filter(Boolean));
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
