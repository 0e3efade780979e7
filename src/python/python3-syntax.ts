import type { Point, TreeCursor } from 'web-tree-sitter';
import type { SyntaxNode, Tree } from './parser.js';

/**
 * Would CPython 3 compile this file? tree-sitter-python recovers from errors
 * and also reads Python 2 and indentation CPython refuses, so "no ERROR node"
 * is not enough before migrate writes a file. This gate adds, on top of
 * tree-sitter's ERROR/MISSING nodes:
 * - CPython's own indentation algorithm (tokenizer.c): TabError for tabs and
 *   spaces that compare differently at tab sizes 8 and 1, IndentationError for
 *   an unexpected indent, a dedent to no enclosing level, a block header with
 *   no indented block;
 * - constructs tree-sitter accepts and Python 3 rejects: Python 2 `print x` /
 *   `exec` statements, `except E, e:`, `raise E, "msg"`, backticks, `<>`,
 *   `0777`, `10L`, `ur''`, an unparenthesized `x := 1` statement, and
 *   `return`/`yield`/`break`/`continue`/`await` where compile() refuses them.
 *
 * Running the project's interpreter instead was rejected: in a repository
 * nobody vetted, `python` may be the repository's own virtualenv shim (running
 * it runs their code), may be Python 2, or missing in a Node-only CI image.
 * When in doubt the gate says "rejected": the cost is a file left untouched.
 */
export interface Python3SyntaxError {
  line: number;
  column: number;
  message: string;
}

export function python3SyntaxError(tree: Tree, text: string): Python3SyntaxError | undefined {
  return treeSitterError(tree) ?? codingCookieError(text) ?? futureImportError(tree.rootNode) ?? constructError(tree.rootNode, text) ?? indentationError(tree.rootNode, text);
}

// PEP 263: a cookie on line 1 or 2; CPython refuses a file whose cookie names no codec it has.
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

function codingCookieError(text: string): Python3SyntaxError | undefined {
  const lines = text.split('\n', 2);
  for (const [index, line] of lines.entries()) {
    const name = CODING_COOKIE.exec(line)?.[1];
    if (name === undefined) {
      if (!/^[ \t\f]*(?:#.*)?\r?$/.test(line)) return undefined; // code on line 1: no cookie on line 2
      continue;
    }
    const normalized = name.toLowerCase().replace(/_/g, '-');
    if (/^(?:utf-?8(?:-sig)?|latin-?1|iso-?8859-1|l1|ascii|us-ascii)$/.test(normalized)) return undefined;
    try {
      new TextDecoder(normalized.replace(/^cp(125\d)$/, 'windows-$1').replace(/^iso8859-/, 'iso-8859-'));
      return undefined;
    } catch {
      return { line: index + 1, column: 1, message: `unknown encoding '${name}' in the coding cookie` };
    }
  }
  return undefined;
}

// Python 3's __future__ features; any other name (or `braces`) is a SyntaxError.
const FUTURE_FEATURES = new Set(['nested_scopes', 'generators', 'division', 'absolute_import', 'with_statement', 'print_function', 'unicode_literals', 'barry_as_FLUFL', 'generator_stop', 'annotations']);

/** `from __future__ import` must come first (after the docstring and other future imports), naming known features. */
function futureImportError(root: SyntaxNode): Python3SyntaxError | undefined {
  let seenOther = false;
  let index = 0;
  for (const statement of root.namedChildren) {
    if (!statement || statement.type === 'comment') continue;
    const isDocstring = index === 0 && statement.type === 'expression_statement' && statement.namedChildren[0]?.type === 'string' && statement.namedChildCount === 1;
    index++;
    if (statement.type === 'future_import_statement') {
      if (seenOther) return at(statement, 'from __future__ imports must occur at the beginning of the file');
      for (const name of statement.childrenForFieldName('name')) {
        const feature = name?.type === 'aliased_import' ? name.childForFieldName('name')?.text : name?.text;
        if (feature !== undefined && !FUTURE_FEATURES.has(feature)) return at(statement, `future feature ${feature} is not defined`);
      }
    } else if (!isDocstring) seenOther = true;
  }
  return undefined;
}

function at(node: SyntaxNode, message: string): Python3SyntaxError {
  return atPoint(node.startPosition, message);
}

function atPoint(point: Point, message: string): Python3SyntaxError {
  return { line: point.row + 1, column: point.column + 1, message };
}

function treeSitterError(tree: Tree): Python3SyntaxError | undefined {
  if (!tree.rootNode.hasError) return undefined;
  const stack: SyntaxNode[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR') return at(node, 'invalid syntax');
    if (node.isMissing) return at(node, `missing ${node.type}`);
    if (!node.hasError) continue;
    for (let i = node.childCount - 1; i >= 0; i--) stack.push(node.child(i)!);
  }
  return at(tree.rootNode, 'invalid syntax');
}

const PYTHON3_STRING_PREFIXES = new Set(['', 'r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf', 't', 'tr', 'rt']);
const FUNCTION_SCOPES = new Set(['function_definition', 'lambda']);
const LOOPS = new Set(['for_statement', 'while_statement']);
// Unparenthesized `:=` is refused directly under these (PEP 572).
const WALRUS_FORBIDDEN_UNDER = new Set(['expression_statement', 'assignment', 'augmented_assignment', 'keyword_argument', 'default_parameter', 'typed_default_parameter']);

function enclosing(node: SyntaxNode, types: Set<string>, stopAt: Set<string>): SyntaxNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (types.has(current.type)) return current;
    if (stopAt.has(current.type)) return undefined;
  }
  return undefined;
}

// The node types constructErrorAt looks at; the walk reads only types until it meets one.
const CONSTRUCTS = new Set(['print_statement', 'exec_statement', '<>', 'except_clause', 'raise_statement', 'integer', 'string_start', 'named_expression', 'return_statement', 'yield', 'await', 'break_statement', 'continue_statement']);

/**
 * CPython's compiler recurses once per nested expression and stops with RecursionError
 * (3.11 and 3.12 near 3,000 levels, 3.13 near 10,000; its parser's stack overflows at
 * about 6,000 unary operators, and 3.9 crashes). A tree deeper than this is refused well
 * below every version's limit: no hand-written code nests an expression a thousand deep.
 */
const MAX_TREE_DEPTH = 1000;

function constructError(root: SyntaxNode, text: string): Python3SyntaxError | undefined {
  const allowsDiamond = /from\s+__future__\s+import[^\n]*\bbarry_as_FLUFL\b/.test(text);
  // A cursor, not node objects: a walk that made a Node of every node took seconds on a large file.
  let found: Python3SyntaxError | undefined;
  walkInOrder(root, (cursor, depth) => {
    if (depth > MAX_TREE_DEPTH) {
      found = atPoint(cursor.startPosition, 'too deeply nested for CPython to compile (RecursionError)');
      return false;
    }
    if (!CONSTRUCTS.has(cursor.nodeType)) return true;
    found = constructErrorAt(cursor.currentNode, allowsDiamond);
    return found === undefined;
  });
  return found;
}

function constructErrorAt(node: SyntaxNode, allowsDiamond: boolean): Python3SyntaxError | undefined {
  switch (node.type) {
    case 'print_statement':
      // `print >>f, x` is also a Python 3 expression (a shift, then a tuple): valid syntax.
      if (node.namedChildren[0]?.type !== 'chevron') return at(node, 'Python 2 print statement');
      break;
    case 'exec_statement':
      return at(node, 'Python 2 exec statement');
    case '<>':
      if (!allowsDiamond) return at(node, "Python 2 '<>' operator");
      break;
    case 'except_clause': {
      // `except E, e:` (Python 2): two values with no `as` between them.
      const tokens = childTypes(node);
      const colon = tokens.indexOf(':');
      if (!tokens.includes('as') && tokens.slice(0, colon === -1 ? undefined : colon).includes(',')) return at(node, "Python 2 'except E, e:'");
      break;
    }
    case 'raise_statement':
      if (node.namedChildren[0]?.type === 'expression_list') return at(node, "Python 2 'raise E, value'");
      break;
    case 'integer': {
      const literal = node.text;
      if (/[lL]$/.test(literal)) return at(node, 'Python 2 long literal');
      if (/^0[0-9_]*[1-9][0-9_]*$/.test(literal)) return at(node, 'Python 2 octal literal (use 0o)');
      break;
    }
    case 'string_start': {
      const prefix = node.text.replace(/['"`]+$/, '').toLowerCase();
      if (node.text.startsWith('`')) return at(node, 'Python 2 backticks');
      if (!PYTHON3_STRING_PREFIXES.has(prefix)) return at(node, `string prefix '${prefix}' is not Python 3`);
      break;
    }
    case 'named_expression':
      if (node.parent && WALRUS_FORBIDDEN_UNDER.has(node.parent.type)) return at(node, "unparenthesized ':=' here");
      break;
    case 'return_statement':
      if (!enclosing(node, FUNCTION_SCOPES, new Set(['class_definition']))) return at(node, "'return' outside function");
      break;
    case 'yield':
      if (!enclosing(node, FUNCTION_SCOPES, new Set(['class_definition']))) return at(node, "'yield' outside function");
      break;
    case 'await':
      if (!enclosingAsyncFunction(node)) return at(node, "'await' outside async function");
      break;
    case 'break_statement':
    case 'continue_statement':
      if (!enclosing(node, LOOPS, new Set(['function_definition', 'class_definition']))) return at(node, `'${node.type.replace('_statement', '')}' outside loop`);
      break;
  }
  return undefined;
}

/**
 * Visits every node under `root` in document order (pre-order) with a tree cursor;
 * `visit` returns false to stop. `descend` says whether to go into the current node.
 */
function walkInOrder(root: SyntaxNode, visit: (cursor: TreeCursor, depth: number) => boolean, descend: (cursor: TreeCursor) => boolean = () => true): void {
  const cursor = root.walk();
  let depth = 0;
  try {
    for (;;) {
      if (!visit(cursor, depth)) return;
      if (descend(cursor) && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

function childTypes(node: SyntaxNode): string[] {
  const types: string[] = [];
  for (let i = 0; i < node.childCount; i++) types.push(node.child(i)!.type);
  return types;
}

/** `await` is allowed in an async function and in comprehensions inside one (and nowhere at module level). */
function enclosingAsyncFunction(node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return current.child(0)?.type === 'async';
    // A generator expression with `await` is an asynchronous generator expression (3.7+), valid anywhere.
    if (current.type === 'generator_expression') return true;
    if (current.type === 'lambda' || current.type === 'class_definition') return false;
  }
  return false;
}

const MAX_BRACKET_DEPTH = 200;
const MAX_INDENT_LEVELS = 100;

interface LogicalLine {
  /** Where the line's first token starts. */
  first: Point;
  /** Type of its last token (':' opens a block). */
  lastType: string;
  column: number;
  altColumn: number;
}

/**
 * The logical lines as CPython's tokenizer sees them: a line starts at the
 * first token on a new physical row that is outside brackets and not after a
 * backslash continuation; strings are single tokens, comments do not count.
 */
function logicalLines(root: SyntaxNode, text: string): LogicalLine[] | Python3SyntaxError {
  const lines: LogicalLine[] = [];
  let depth = 0;
  let previous: { endIndex: number; endRow: number } | undefined;
  let failure: Python3SyntaxError | undefined;
  // A token is a leaf, or a whole string (its parts are not tokens to CPython).
  const isString = (cursor: TreeCursor) => cursor.nodeType === 'string';
  walkInOrder(
    root,
    (cursor) => {
      const type = cursor.nodeType;
      if (type !== 'string' && cursor.gotoFirstChild()) {
        cursor.gotoParent();
        return true;
      }
      const { startIndex, endIndex } = cursor;
      if (type === 'comment' || startIndex === endIndex || type === 'line_continuation') return true;
      const start = cursor.startPosition;
      // Read continuations from the text between tokens (tree-sitter has no line_continuation node before
      // a string): a backslash-newline joins this token's line only when no other line break follows it
      // (a comment-only line after a backslash still ends the logical line).
      const gap = previous === undefined ? '' : text.slice(previous.endIndex, startIndex).replace(/#[^\r\n]*/g, '');
      const continued = /\\\r?\n[ \t\f]*$/.test(gap);
      const startsLine = depth === 0 && !continued && (previous === undefined || start.row > previous.endRow);
      if (startsLine) {
        const indent = measureIndent(text.slice(startIndex - start.column, startIndex));
        if (!indent) {
          failure = atPoint(start, 'unexpected characters before the statement');
          return false;
        }
        lines.push({ first: start, lastType: type, ...indent });
      } else if (lines.length > 0) {
        lines.at(-1)!.lastType = type;
      }
      if (type === '(' || type === '[' || type === '{') {
        // tokenizer.c's MAXLEVEL: a 201st open bracket is "too many nested parentheses".
        if (++depth > MAX_BRACKET_DEPTH) {
          failure = atPoint(start, 'SyntaxError: too many nested parentheses');
          return false;
        }
      } else if ((type === ')' || type === ']' || type === '}') && depth > 0) depth--;
      previous = { endIndex, endRow: cursor.endPosition.row };
      return true;
    },
    (cursor) => !isString(cursor),
  );
  return failure ?? lines;
}

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

function indentationError(root: SyntaxNode, text: string): Python3SyntaxError | undefined {
  const lines = logicalLines(root, text);
  if (!Array.isArray(lines)) return lines;
  const columns = [0];
  const altColumns = [0];
  let opensBlock = false;
  for (const line of lines) {
    const top = columns.at(-1)!;
    const altTop = altColumns.at(-1)!;
    if (line.column > top) {
      if (line.altColumn <= altTop) return atPoint(line.first, 'TabError: inconsistent use of tabs and spaces in indentation');
      if (!opensBlock) return atPoint(line.first, 'IndentationError: unexpected indent');
      // tokenizer.c's MAXINDENT: the 100th level is "too many levels of indentation".
      if (columns.length >= MAX_INDENT_LEVELS) return atPoint(line.first, 'IndentationError: too many levels of indentation');
      columns.push(line.column);
      altColumns.push(line.altColumn);
    } else {
      if (opensBlock) return atPoint(line.first, 'IndentationError: expected an indented block');
      while (columns.length > 1 && line.column < columns.at(-1)!) {
        columns.pop();
        altColumns.pop();
      }
      if (line.column !== columns.at(-1)) return atPoint(line.first, 'IndentationError: unindent does not match any outer indentation level');
      if (line.altColumn !== altColumns.at(-1)) return atPoint(line.first, 'TabError: inconsistent use of tabs and spaces in indentation');
    }
    opensBlock = line.lastType === ':';
  }
  if (opensBlock) return atPoint(lines.at(-1)!.first, 'IndentationError: expected an indented block');
  return undefined;
}
