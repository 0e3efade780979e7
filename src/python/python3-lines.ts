// The CPython-3 gate's view of a file as its tokenizer sees it: logical lines and the indentation algorithm
// (tokenizer.c), which tree-sitter-python is more lenient about than CPython.
import type { Point } from 'web-tree-sitter';
import type { SyntaxNode } from './parser.js';

/** Where CPython 3 would refuse the file, and why. */
export interface Python3SyntaxError {
  line: number;
  column: number;
  message: string;
}

export function at(node: SyntaxNode, message: string): Python3SyntaxError {
  return atPoint(node.startPosition, message);
}

export function atPoint(point: Point, message: string): Python3SyntaxError {
  return { line: point.row + 1, column: point.column + 1, message };
}

const MAX_BRACKET_DEPTH = 200;
const MAX_INDENT_LEVELS = 100;

export interface LogicalLine {
  /** Where the line's first token starts. */
  first: Point;
  /** The same place as an offset into the text. */
  start: number;
  /** Type of its last token (':' opens a block). */
  lastType: string;
  column: number;
  altColumn: number;
}

/**
 * The logical lines as CPython's tokenizer sees them: a line starts at the
 * first token on a new physical row that is outside brackets and not after a
 * backslash continuation; strings are single tokens, comments do not count.
 * Strings and comments come from the tree (an f-string can hold quotes and
 * brackets of its own); everything between them is read from the text in one
 * pass: any character tree-sitter does not take as whitespace starts a token.
 */
export function logicalLines(nodes: readonly SyntaxNode[], text: string): LogicalLine[] | Python3SyntaxError {
  const lines: LogicalLine[] = [];
  const opaque: { start: number; end: number; isString: boolean }[] = [];
  for (const node of nodes) {
    if (!OPAQUE_TOKENS.includes(node.type)) continue;
    // A string inside an f-string's braces is part of the outer one.
    if (opaque.length === 0 || node.startIndex >= (opaque.at(-1)?.end ?? 0))
      opaque.push({ start: node.startIndex, end: node.endIndex, isString: node.type === 'string' });
  }
  let depth = 0;
  let row = 0;
  let rowStart = 0;
  let seenToken = false;
  let rowHasToken = false;
  let continued = false;
  let next = 0;
  const token = (start: number, isColon: boolean): Python3SyntaxError | undefined => {
    const startsLine = depth === 0 && !continued && (!seenToken || !rowHasToken);
    if (startsLine) {
      const indent = measureIndent(text.slice(rowStart, start));
      if (!indent) return atPoint({ row, column: start - rowStart }, 'unexpected characters before the statement');
      lines.push({ first: { row, column: start - rowStart }, start, lastType: isColon ? ':' : 'token', ...indent });
    } else if (lines.length > 0) {
      const last = lines.at(-1);
      if (last) last.lastType = isColon ? ':' : 'token';
    }
    seenToken = true;
    rowHasToken = true;
    continued = false;
    return undefined;
  };
  for (let index = 0; index < text.length; index++) {
    const range = opaque[next];
    if (range && index === range.start) {
      next++;
      if (range.isString) {
        const failure = token(index, false);
        if (failure) return failure;
      }
      // A multi-line string or comment: rows inside it start no line, and the row it ends on goes on.
      for (let inside = index; inside < range.end; inside++) {
        if (text.charCodeAt(inside) === 10) {
          row++;
          rowStart = inside + 1;
        }
      }
      index = range.end - 1;
      continue;
    }
    const char = text.charAt(index);
    if (char === '\n') {
      row++;
      rowStart = index + 1;
      rowHasToken = false;
      continued = false;
    } else if (char === '\\' && (text[index + 1] === '\n' || (text[index + 1] === '\r' && text[index + 2] === '\n'))) {
      // A backslash-newline joins the next row to this logical line (unless a row of its own ends it first).
      index += text[index + 1] === '\r' ? 2 : 1;
      row++;
      rowStart = index + 1;
      rowHasToken = false;
      continued = true;
    } else if (!TREE_SITTER_SPACE.test(char)) {
      const failure = token(index, char === ':' && text[index + 1] !== '=');
      if (failure) return failure;
      if (char === '(' || char === '[' || char === '{') {
        // tokenizer.c's MAXLEVEL: a 201st open bracket is "too many nested parentheses".
        if (++depth > MAX_BRACKET_DEPTH)
          return atPoint({ row, column: index - rowStart }, 'SyntaxError: too many nested parentheses');
      } else if ((char === ')' || char === ']' || char === '}') && depth > 0) depth--;
    }
  }
  return lines;
}

// Tokens whose insides are no tokens to CPython's indentation: strings (one token) and comments (none).
export const OPAQUE_TOKENS = ['string', 'comment'];
// tree-sitter-python's extras: what separates tokens without being one.
const TREE_SITTER_SPACE = /[\s\u2060\u200B]/;

/** CPython's column (tabs to multiples of 8) and alternate column (tabs as 1); a form feed resets both. */
function measureIndent(leading: string): { column: number; altColumn: number } | undefined {
  let column = 0;
  let altColumn = 0;
  for (const char of leading) {
    if (char === ' ') {
      column++;
      altColumn++;
    } else if (char === '\t') {
      column = (Math.floor(column / 8) + 1) * 8;
      altColumn++;
    } else if (char === '\f') {
      column = 0;
      altColumn = 0;
    } else return undefined;
  }
  return { column, altColumn };
}

export function indentationError(lines: readonly LogicalLine[]): Python3SyntaxError | undefined {
  const columns = [0];
  const altColumns = [0];
  let opensBlock = false;
  for (const line of lines) {
    const top = columns.at(-1) ?? 0;
    const altTop = altColumns.at(-1) ?? 0;
    if (line.column > top) {
      if (line.altColumn <= altTop)
        return atPoint(line.first, 'TabError: inconsistent use of tabs and spaces in indentation');
      if (!opensBlock) return atPoint(line.first, 'IndentationError: unexpected indent');
      // tokenizer.c's MAXINDENT: the 100th level is "too many levels of indentation".
      if (columns.length >= MAX_INDENT_LEVELS)
        return atPoint(line.first, 'IndentationError: too many levels of indentation');
      columns.push(line.column);
      altColumns.push(line.altColumn);
    } else {
      if (opensBlock) return atPoint(line.first, 'IndentationError: expected an indented block');
      while (columns.length > 1 && line.column < (columns.at(-1) ?? 0)) {
        columns.pop();
        altColumns.pop();
      }
      if (line.column !== columns.at(-1))
        return atPoint(line.first, 'IndentationError: unindent does not match any outer indentation level');
      if (line.altColumn !== altColumns.at(-1))
        return atPoint(line.first, 'TabError: inconsistent use of tabs and spaces in indentation');
    }
    opensBlock = line.lastType === ':';
  }
  const lastLine = lines.at(-1);
  if (opensBlock && lastLine) return atPoint(lastLine.first, 'IndentationError: expected an indented block');
  return undefined;
}
