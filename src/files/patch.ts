import { structuredPatch } from 'diff';
import type { Colors } from '../core/colors.js';

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
  const [oldName, newName] = [quotePath(`a/${rootPath}`), quotePath(`b/${rootPath}`)];
  // git ends a ---/+++ name that has a space with a tab, so patch(1) reads the whole name.
  const tab = rootPath.includes(' ') ? '	' : '';
  const lines = [`diff --git ${oldName} ${newName}`];
  if (created) lines.push('new file mode 100644');
  // A deletion: `git apply` removes the file, and GNU patch removes it for `+++ /dev/null` with nothing left.
  if (deleted) lines.push(`deleted file mode ${deleted.mode}`);
  lines.push(created ? '--- /dev/null' : `--- ${oldName}${tab}`, deleted ? '+++ /dev/null' : `+++ ${newName}${tab}`);
  for (const hunk of hunks) {
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = deleted ? 0 : hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    lines.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines);
  }
  return `${lines.join('\n')}\n`;
}

const C_ESCAPES: Record<number, string> = {
  7: 'a',
  8: 'b',
  9: 't',
  10: 'n',
  11: 'v',
  12: 'f',
  13: 'r',
  34: '"',
  92: '\\',
};

/**
 * A path as git writes it in a patch header (quote_c_style with the default
 * core.quotePath): left alone when plain, otherwise in double quotes with C
 * escapes and every control or non-ASCII byte as a 3-digit octal escape of its
 * UTF-8 bytes. `git apply` and GNU `patch -p1` both read that form.
 */
export function quotePath(path: string): string {
  const bytes = Buffer.from(path, 'utf8');
  if (!bytes.some((byte) => byte < 0x20 || byte === 0x22 || byte === 0x5c || byte >= 0x7f)) return path;
  let quoted = '"';
  for (const byte of bytes) {
    const named = C_ESCAPES[byte];
    if (named) quoted += `\\${named}`;
    else if (byte < 0x20 || byte >= 0x7f) quoted += `\\${byte.toString(8).padStart(3, '0')}`;
    else quoted += String.fromCharCode(byte);
  }
  return `${quoted}"`;
}

/** The same diff with additions green, removals red and hunk headers cyan (when colours are on). */
export function colorDiff(diff: string, colors: Colors): string {
  return diff
    .split('\n')
    .map((line) => {
      if (
        line.startsWith('diff --git') ||
        line.startsWith('+++') ||
        line.startsWith('---') ||
        line.startsWith('new file') ||
        line.startsWith('deleted file')
      )
        return colors.bold(line);
      if (line.startsWith('@@')) return colors.cyan(line);
      if (line.startsWith('+')) return colors.green(line);
      if (line.startsWith('-')) return colors.red(line);
      return line;
    })
    .join('\n');
}
