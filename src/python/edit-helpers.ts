import type { TextEdit } from '../core/findings.js';
import type { SyntaxNode } from './parser.js';
import { sameNode } from './module-facts.js';

/** The offset where the line holding `index` starts. */
export function lineStart(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

/** The offset just after the line break ending the line that holds `index` (or the end of the text). */
export function nextLineStart(source: string, index: number): number {
  const newline = source.indexOf('\n', index);
  return newline === -1 ? source.length : newline + 1;
}

/** The line break the file uses: CRLF when its first line ends so, else LF. */
export function lineBreakOf(source: string): string {
  const first = source.indexOf('\n');
  return first > 0 && source[first - 1] === '\r' ? '\r\n' : '\n';
}

/** The leading whitespace of the line holding `index`. */
export function indentationAt(source: string, index: number): string {
  const start = lineStart(source, index);
  return /^[ \t]*/.exec(source.slice(start))?.[0] ?? '';
}

/** One level of indentation as the file writes it: a tab, or the smallest space step seen. */
export function indentUnitOf(source: string): string {
  if (/^\t+\S/m.test(source)) return '\t';
  const widths = [...source.matchAll(/^( +)\S/gm)].map((match) => (match[1] ?? '').length);
  const smallest = widths.length > 0 ? Math.min(...widths) : 4;
  return ' '.repeat(smallest || 4);
}

/**
 * True when `start..end` is the only code on its lines: whitespace before it,
 * and after it at most a separator, whitespace and a comment.
 */
function ownsItsLines(source: string, start: number, end: number, trailing: RegExp): boolean {
  const before = source.slice(lineStart(source, start), start);
  const lineEnd = source.indexOf('\n', end);
  const after = source.slice(end, lineEnd === -1 ? source.length : lineEnd).replace(/\r$/, '');
  return /^[ \t]*$/.test(before) && trailing.test(after);
}

/**
 * Removes one item of an argument list or a dict/list display, with exactly one
 * separating comma: a whole line when the item has its own line, otherwise the
 * item and the comma beside it.
 */
export function removeListItem(source: string, item: SyntaxNode): TextEdit {
  const container = item.parent;
  if (!container) throw new Error(`a ${item.type} to remove has no enclosing list`);
  const items = container.namedChildren.filter((child) => child.type !== 'comment');
  const index = items.findIndex((child) => sameNode(child, item));
  const next = items[index + 1];
  const previous = items[index - 1];
  if (ownsItsLines(source, item.startIndex, item.endIndex, /^[ \t]*,?[ \t]*(?:#.*)?$/)) {
    const start = lineStart(source, item.startIndex);
    const end = nextLineStart(source, item.endIndex);
    // The last item on its own line: the one before keeps (or gets no) trailing comma; both are valid Python.
    return { start, end, replacement: '' };
  }
  if (next) return { start: item.startIndex, end: next.startIndex, replacement: '' };
  if (previous) {
    // Keep a trailing comma that followed the removed item: `f(a, debug=True,)` -> `f(a,)`.
    return { start: previous.endIndex, end: item.endIndex, replacement: '' };
  }
  // The only item: drop it and a comma right after it.
  const after = /^[ \t]*,/.exec(source.slice(item.endIndex));
  return { start: item.startIndex, end: item.endIndex + (after ? after[0].length : 0), replacement: '' };
}

/**
 * Removes a statement: its whole lines when it has them to itself, `pass` when
 * it is the only statement of its block (an empty block is a syntax error).
 */
export function removeStatement(source: string, statement: SyntaxNode): TextEdit {
  const block = statement.parent;
  const siblings = (block?.namedChildren ?? []).filter((child) => child.type !== 'comment');
  const onlyInBlock = block?.type === 'block' && siblings.length === 1;
  const ownsLines = ownsItsLines(source, statement.startIndex, statement.endIndex, /^[ \t]*(?:#.*)?$/);
  const introduction = ownsLines ? introducingComment(source, statement) : undefined;
  if (onlyInBlock) {
    // `pass` takes the place of the comment that introduced the line too.
    const start =
      introduction === undefined
        ? statement.startIndex
        : introduction + indentationAt(source, statement.startIndex).length;
    return { start, end: statement.endIndex, replacement: 'pass' };
  }
  if (ownsLines)
    return {
      start: introduction ?? lineStart(source, statement.startIndex),
      end: nextLineStart(source, statement.endIndex),
      replacement: '',
    };
  return { start: statement.startIndex, end: statement.endIndex, replacement: 'pass' };
}

/**
 * The start of the comment lines that only introduce `statement` (`# Enable debug mode.`
 * right above `app.debug = True`), so they go with it: comment-only lines at its
 * indentation that speak of debugging, with nothing after the statement (in its
 * block, before a blank line) that they could also be about.
 */
function introducingComment(source: string, statement: SyntaxNode): number | undefined {
  const indent = indentationAt(source, statement.startIndex);
  const first = lineStart(source, statement.startIndex);
  let start = first;
  while (start > 0) {
    const previous = lineStart(source, start - 1);
    const line = source.slice(previous, start).replace(/\r?\n$/, '');
    if (!line.startsWith(indent) || !/^[ \t]*#/.test(line) || /^[ \t]+/.exec(line)?.[0] !== (indent || undefined))
      break;
    start = previous;
  }
  if (start === first || !/debug/i.test(source.slice(start, first))) return undefined;
  const afterStart = nextLineStart(source, statement.endIndex);
  const after = source.slice(afterStart, nextLineStart(source, afterStart)).replace(/\r?\n$/, '');
  const nothingAfter = after.trim() === '' || (/^[ \t]*/.exec(after)?.[0].length ?? 0) < indent.length;
  return nothingAfter ? start : undefined;
}

/**
 * Python that reads FLASK_DEBUG strictly: "1", "true", "yes"
 * (any case) mean on; "off", "no", "" and unset mean off.
 */
export const STRICT_FLASK_DEBUG_READ = 'os.environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes")';

/**
 * The node a detection points at: the outermost node spanning exactly
 * `start..end` (a statement rather than the assignment inside it).
 */
export function nodeAt(root: SyntaxNode, start: number, end: number): SyntaxNode {
  let node = root.namedDescendantForIndex(start, end) ?? root;
  // Stop at the statement: a one-statement block (or module) spans the same text but is not the target.
  while (
    node.parent &&
    node.parent.startIndex === start &&
    node.parent.endIndex === end &&
    node.parent.type !== 'module' &&
    node.parent.type !== 'block'
  ) {
    node = node.parent;
  }
  return node;
}

/** The edit that removes `item`, or the whole statement when the call it feeds would be left empty. */
export function removeItemOrStatement(source: string, item: SyntaxNode): TextEdit {
  const container = item.parent;
  const siblings = (container?.namedChildren ?? []).filter((child) => child.type !== 'comment');
  if (container && siblings.length === 1) {
    // `update(DEBUG=True)`, `update({"DEBUG": True})`, `update(dict(DEBUG=True))`: the call would be empty.
    let holder: SyntaxNode | null = container.type === 'argument_list' ? container.parent : container;
    while (holder && holder.type !== 'expression_statement') {
      const parent: SyntaxNode | null = holder.parent;
      if (
        !parent ||
        (parent.type !== 'argument_list' && parent.type !== 'call' && parent.type !== 'expression_statement')
      )
        break;
      if (
        parent.type === 'argument_list' &&
        parent.namedChildren.filter((child) => child.type !== 'comment').length !== 1
      )
        break;
      holder = parent;
    }
    if (holder?.type === 'expression_statement') return removeStatement(source, holder);
  }
  return removeListItem(source, item);
}
