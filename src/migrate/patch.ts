import { structuredPatch } from 'diff';
import type { Colors } from '../cli/colors.js';

export interface PatchInput {
  rootPath: string;
  before: string;
  after: string;
  created?: boolean;
  /** The file is deleted; `mode` is its git mode (100644 or 100755) for the header git checks. */
  deleted?: { mode: string };
}

/**
 * A git-style unified diff for one file that both `git apply` and `patch -p1`
 * accept: `a/` and `b/` prefixes, `/dev/null` for a new file, zero-length
 * ranges numbered from the line before (as GNU diff does).
 */
export function unifiedDiff({ rootPath, before, after, created = false, deleted }: PatchInput): string {
  if (before === after && !deleted) return '';
  const { hunks } = structuredPatch(rootPath, rootPath, before, deleted ? '' : after, '', '', { context: 3 });
  const lines = [`diff --git a/${rootPath} b/${rootPath}`];
  if (created) lines.push('new file mode 100644');
  // A deletion: `git apply` removes the file, and GNU patch removes it for `+++ /dev/null` with nothing left.
  if (deleted) lines.push(`deleted file mode ${deleted.mode}`);
  lines.push(created ? '--- /dev/null' : `--- a/${rootPath}`, deleted ? '+++ /dev/null' : `+++ b/${rootPath}`);
  for (const hunk of hunks) {
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = deleted ? 0 : hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    lines.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines);
  }
  return `${lines.join('\n')}\n`;
}

/** The same diff with additions green, removals red and hunk headers cyan (when colours are on). */
export function colorDiff(diff: string, colors: Colors): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('diff --git') || line.startsWith('+++') || line.startsWith('---') || line.startsWith('new file') || line.startsWith('deleted file')) return colors.bold(line);
      if (line.startsWith('@@')) return colors.cyan(line);
      if (line.startsWith('+')) return colors.green(line);
      if (line.startsWith('-')) return colors.red(line);
      return line;
    })
    .join('\n');
}
