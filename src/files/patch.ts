import { diffLines, structuredPatch, type StructuredPatchHunk } from 'diff';
import type { Colors } from '../core/colors.js';
import type { TextEdit } from '../core/findings.js';

// Lines of context around a change, as git and GNU diff print by default.
const CONTEXT = 3;

export interface PatchInput {
  rootPath: string;
  before: string;
  after: string;
  created?: boolean;
  /** The file is deleted; `mode` is its git mode (100644 or 100755) for the header git checks. */
  deleted?: { mode: string };
  /**
   * The edits that made `after` from `before` (offsets into `before`, last first, as migrate makes
   * them): only the lines around them are compared, not the whole file.
   */
  edits?: readonly TextEdit[];
}

/**
 * A git-style unified diff for one file that both `git apply` and `patch -p1`
 * accept: `a/` and `b/` prefixes, `/dev/null` for a new file, zero-length
 * ranges numbered from the line before (as GNU diff does).
 */
export function unifiedDiff({ rootPath, before, after, created = false, deleted, edits }: PatchInput): string {
  if (before === after && !deleted) return '';
  const hunks = deleted ? hunksBetween(before, '') : hunksAround(before, after, edits);
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
    lines.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`);
    // One by one: spreading a hunk of a few hundred thousand lines into push() overflows the stack.
    for (const line of hunk.lines) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

function hunksBetween(before: string, after: string): StructuredPatchHunk[] {
  return structuredPatch('', '', before, after, '', '', { context: CONTEXT }).hunks;
}

/**
 * The hunks of the diff, read from the edits: only the lines each edit touches are compared
 * (Myers, as for whole files), the lines between are unchanged. Comparing whole files costs
 * their length times the number of changed lines: a module with thousands of fixes took seconds.
 */
function hunksAround(before: string, after: string, edits?: readonly TextEdit[]): StructuredPatchHunk[] {
  const ascending = [...(edits ?? [])].reverse();
  // Only edits that lie apart and make `after` exactly say where the changes are; else the whole files.
  const apart = ascending.every((edit, index) => index === 0 || (ascending[index - 1]?.end ?? 0) <= edit.start);
  if (ascending.length === 0 || before.length === 0 || !apart || applied(before, ascending) !== after)
    return hunksBetween(before, after);
  const lineStarts = [0];
  for (let at = before.indexOf('\n'); at !== -1 && at + 1 < before.length; at = before.indexOf('\n', at + 1))
    lineStarts.push(at + 1);
  const boundary = (line: number) => lineStarts[line] ?? before.length;
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  // The lines each edit touches, edits on shared or adjacent lines together, with what they do to the length.
  const regions: { first: number; last: number; chars: number }[] = [];
  for (const edit of ascending) {
    const first = lineOf(edit.start);
    const last = lineOf(Math.max(edit.start, edit.end - 1));
    const chars = edit.replacement.length - (edit.end - edit.start);
    const region = regions.at(-1);
    // Edits on adjacent lines too: their removals then additions read as one block, as git shows them.
    if (region && first <= region.last + 1) {
      region.last = Math.max(region.last, last);
      region.chars += chars;
    } else regions.push({ first, last, chars });
  }
  const ops: LineOp[] = [];
  let line = 0;
  let shift = 0; // `after` offset minus `before` offset past the regions so far
  for (const { first, last, chars } of regions) {
    for (; line < first; line++) ops.push({ mark: ' ', text: before.slice(boundary(line), boundary(line + 1)) });
    const from = boundary(first);
    const to = boundary(last + 1);
    for (const change of diffLines(before.slice(from, to), after.slice(from + shift, to + shift + chars))) {
      const mark = change.added ? '+' : change.removed ? '-' : ' ';
      for (const text of linesOf(change.value)) ops.push({ mark, text });
    }
    line = last + 1;
    shift += chars;
  }
  for (; line < lineStarts.length; line++)
    ops.push({ mark: ' ', text: before.slice(boundary(line), boundary(line + 1)) });
  return hunksOf(ops);
}

interface LineOp {
  mark: ' ' | '-' | '+';
  /** The line with its line break, if it has one. */
  text: string;
}

/** Lines with their breaks; the last may have none. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Unified-diff hunks of a whole file's lines: each change with CONTEXT unchanged lines around it,
 * changes at most 2 * CONTEXT unchanged lines apart in one hunk, and a line with no break followed
 * by "\ No newline at end of file" (as jsdiff and git write them).
 */
function hunksOf(ops: readonly LineOp[]): StructuredPatchHunk[] {
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const op of ops) {
    oldAt.push(oldLine);
    newAt.push(newLine);
    if (op.mark !== '+') oldLine++;
    if (op.mark !== '-') newLine++;
  }
  const unchanged = (index: number) => ops[index]?.mark === ' ';
  const hunks: StructuredPatchHunk[] = [];
  for (let index = 0; index < ops.length; index++) {
    if (unchanged(index)) continue;
    let start = index;
    while (start > 0 && index - start < CONTEXT && unchanged(start - 1)) start--;
    let end = index;
    for (;;) {
      while (end < ops.length && !unchanged(end)) end++;
      let next = end;
      while (next < ops.length && unchanged(next)) next++;
      if (next === ops.length || next - end > 2 * CONTEXT) break;
      end = next;
    }
    const stop = Math.min(end + CONTEXT, ops.length);
    const lines: string[] = [];
    for (const op of ops.slice(start, stop)) {
      if (op.text.endsWith('\n')) lines.push(op.mark + op.text.slice(0, -1));
      else lines.push(op.mark + op.text, '\\ No newline at end of file');
    }
    const oldStart = oldAt[start] ?? 1;
    const newStart = newAt[start] ?? 1;
    hunks.push({
      oldStart,
      oldLines: (oldAt[stop] ?? oldLine) - oldStart,
      newStart,
      newLines: (newAt[stop] ?? newLine) - newStart,
      lines,
    });
    index = stop - 1;
  }
  return hunks;
}

/** `text` with edits that lie apart (in ascending order) made. */
function applied(text: string, ascending: readonly TextEdit[]): string {
  const parts: string[] = [];
  let from = 0;
  for (const edit of ascending) {
    parts.push(text.slice(from, edit.start), edit.replacement);
    from = edit.end;
  }
  parts.push(text.slice(from));
  return parts.join('');
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
