import type { TreeCursor } from 'web-tree-sitter';
import type { SyntaxNode, Tree } from './parser.js';
import {
  at,
  atPoint,
  indentationError,
  type LogicalLine,
  logicalLines,
  OPAQUE_TOKENS,
  type Python3SyntaxError,
} from './python3-lines.js';

export type { Python3SyntaxError };

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
export function python3SyntaxError(tree: Tree, text: string): Python3SyntaxError | undefined {
  const early = treeSitterError(tree) ?? codingCookieError(text) ?? futureImportError(tree.rootNode);
  if (early) return early;
  // One walk of the tree, inside tree-sitter, collects every node both checks below read.
  const constructTypes = CONSTRUCTS.filter(([, possible]) => possible === undefined || possible(text)).map(
    ([type]) => type,
  );
  const nodes = tree.rootNode.descendantsOfType([...constructTypes, ...OPAQUE_TOKENS]).filter((node) => node !== null);
  const constructFailure = constructError(nodes, text);
  if (constructFailure) return constructFailure;
  const lines = logicalLines(nodes, text);
  if (!Array.isArray(lines)) return lines;
  return indentationError(lines) ?? depthError(tree.rootNode, lines, text.length);
}

/**
 * An expression nested deeper than MAX_TREE_DEPTH takes at least that many characters of one
 * logical line, so the tree is walked for its depth only when some logical line is that long
 * (generated data, or a file made to crash the compiler): ordinary files cost nothing.
 */
function depthError(
  root: SyntaxNode,
  lines: readonly LogicalLine[],
  textLength: number,
): Python3SyntaxError | undefined {
  const longest = lines.reduce(
    (most, line, index) => Math.max(most, (lines[index + 1]?.start ?? textLength) - line.start),
    0,
  );
  if (longest <= MAX_TREE_DEPTH) return undefined;
  let found: Python3SyntaxError | undefined;
  walkInOrder(root, (cursor, depth) => {
    if (depth <= MAX_TREE_DEPTH) return true;
    found = atPoint(cursor.startPosition, 'too deeply nested for CPython to compile (RecursionError)');
    return false;
  });
  return found;
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
const FUTURE_FEATURES = new Set([
  'nested_scopes',
  'generators',
  'division',
  'absolute_import',
  'with_statement',
  'print_function',
  'unicode_literals',
  'barry_as_FLUFL',
  'generator_stop',
  'annotations',
]);

/** `from __future__ import` must come first (after the docstring and other future imports), naming known features. */
function futureImportError(root: SyntaxNode): Python3SyntaxError | undefined {
  let seenOther = false;
  let index = 0;
  for (const statement of root.namedChildren) {
    if (!statement || statement.type === 'comment') continue;
    const isDocstring =
      index === 0 &&
      statement.type === 'expression_statement' &&
      statement.namedChildren[0]?.type === 'string' &&
      statement.namedChildCount === 1;
    index++;
    if (statement.type === 'future_import_statement') {
      if (seenOther) return at(statement, 'from __future__ imports must occur at the beginning of the file');
      for (const name of statement.childrenForFieldName('name')) {
        const feature = name?.type === 'aliased_import' ? name.childForFieldName('name')?.text : name?.text;
        if (feature !== undefined && !FUTURE_FEATURES.has(feature))
          return at(statement, `future feature ${feature} is not defined`);
      }
    } else if (!isDocstring) seenOther = true;
  }
  return undefined;
}

function treeSitterError(tree: Tree): Python3SyntaxError | undefined {
  if (!tree.rootNode.hasError) return undefined;
  const stack: SyntaxNode[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    if (node.type === 'ERROR') return at(node, 'invalid syntax');
    if (node.isMissing) return at(node, `missing ${node.type}`);
    if (!node.hasError) continue;
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  return at(tree.rootNode, 'invalid syntax');
}

const PYTHON3_STRING_PREFIXES = new Set(['', 'r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf', 't', 'tr', 'rt']);
const FUNCTION_SCOPES = new Set(['function_definition', 'lambda']);
const LOOPS = new Set(['for_statement', 'while_statement']);
// Unparenthesized `:=` is refused directly under these (PEP 572).
const WALRUS_FORBIDDEN_UNDER = new Set([
  'expression_statement',
  'assignment',
  'augmented_assignment',
  'keyword_argument',
  'default_parameter',
  'typed_default_parameter',
]);

function enclosing(node: SyntaxNode, types: Set<string>, stopAt: Set<string>): SyntaxNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (types.has(current.type)) return current;
    if (stopAt.has(current.type)) return undefined;
  }
  return undefined;
}

// The node types constructErrorAt looks at, each with a test of the text that every error of that
// type needs (undefined: always looked at). tree-sitter collects the nodes of the types a file can
// hold an error of in one call: a walk over every node from JavaScript took seconds on a large file.
const CONSTRUCTS: [string, ((text: string) => boolean) | undefined][] = [
  ['print_statement', undefined],
  ['exec_statement', undefined],
  ['<>', (text) => text.includes('<>')],
  ['except_clause', undefined],
  ['raise_statement', undefined],
  ['integer', (text) => /\d[lL]|(?<![\w.])0[0-9_]*[1-9]/.test(text)],
  ['string_start', (text) => text.includes('`') || hasNonPython3Prefix(text)],
  ['named_expression', (text) => text.includes(':=')],
  ['return_statement', (text) => text.includes('return')],
  ['yield', (text) => text.includes('yield')],
  ['await', (text) => text.includes('await')],
  ['break_statement', (text) => text.includes('break')],
  ['continue_statement', (text) => text.includes('continue')],
];

/**
 * CPython's compiler recurses once per nested expression and stops with RecursionError
 * (3.11 and 3.12 near 3,000 levels, 3.13 near 10,000; its parser's stack overflows at
 * about 6,000 unary operators, and 3.9 crashes). A tree deeper than this is refused well
 * below every version's limit: no hand-written code nests an expression a thousand deep.
 */
const MAX_TREE_DEPTH = 1000;

/** True when some run of prefix letters right before a quote (any of its endings) is not a Python 3 prefix. */
function hasNonPython3Prefix(text: string): boolean {
  for (const match of text.matchAll(/[rRbBuUfFtT]{2,}(?=['"])/g)) {
    const run = match[0].toLowerCase();
    for (let start = 0; start < run.length - 1; start++)
      if (!PYTHON3_STRING_PREFIXES.has(run.slice(start))) return true;
  }
  return false;
}

/** The first construct error, in document order as a walk would meet them. */
function constructError(nodes: readonly SyntaxNode[], text: string): Python3SyntaxError | undefined {
  const allowsDiamond = /from\s+__future__\s+import[^\n]*\bbarry_as_FLUFL\b/.test(text);
  for (const node of nodes) {
    if (OPAQUE_TOKENS.includes(node.type)) continue;
    const found = constructErrorAt(node, allowsDiamond);
    if (found) return found;
  }
  return undefined;
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
      if (!tokens.includes('as') && tokens.slice(0, colon === -1 ? undefined : colon).includes(','))
        return at(node, "Python 2 'except E, e:'");
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
      if (!enclosing(node, FUNCTION_SCOPES, new Set(['class_definition'])))
        return at(node, "'return' outside function");
      break;
    case 'yield':
      if (!enclosing(node, FUNCTION_SCOPES, new Set(['class_definition']))) return at(node, "'yield' outside function");
      break;
    case 'await':
      if (!enclosingAsyncFunction(node)) return at(node, "'await' outside async function");
      break;
    case 'break_statement':
    case 'continue_statement':
      if (!enclosing(node, LOOPS, new Set(['function_definition', 'class_definition'])))
        return at(node, `'${node.type.replace('_statement', '')}' outside loop`);
      break;
  }
  return undefined;
}

/**
 * Visits every node under `root` in document order (pre-order) with a tree cursor;
 * `visit` returns false to stop. `descend` says whether to go into the current node.
 */
function walkInOrder(
  root: SyntaxNode,
  visit: (cursor: TreeCursor, depth: number) => boolean,
  descend: (cursor: TreeCursor) => boolean = () => true,
): void {
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
  for (const child of node.children) if (child) types.push(child.type);
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
