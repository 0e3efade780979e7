import { noteCompiledPart } from '../core/compiled-parts.js';
import type { Node, Parser, Point, Tree as WasmTree } from 'web-tree-sitter';
import type { TextEdit } from '../core/findings.js';
import { loadGrammarParser, treeEdit } from '../files/tree-sitter-runtime.js';

export type SyntaxNode = Node;
export type Tree = WasmTree;

let loading: Promise<void> | undefined;
let sharedParser: Parser | undefined;

/**
 * Loads the WebAssembly parser and the Python grammar, once per thread.
 * Instantiating WebAssembly is asynchronous, so every command (and worker)
 * that parses awaits this once at start; parsePython itself stays synchronous.
 */
export function loadPythonParser(): Promise<void> {
  loading ??= (async () => {
    // The build copies tree-sitter-python's grammar beside the bundle (src/build/bundle.ts); the package ships it.
    sharedParser = await loadGrammarParser('tree-sitter-python');
    noteCompiledPart('python');
  })();
  return loading;
}

/** Thrown by a synchronous build that meets Python before the grammar is loaded (withLazyParsers loads it). */
export class PythonGrammarNeeded extends Error {
  constructor() {
    super('the Python grammar is not loaded: build through withLazyParsers()');
  }
}

/** True once the Python grammar is loaded on this thread. */
export function pythonParserLoaded(): boolean {
  return sharedParser !== undefined;
}

/**
 * Parses Python source. Node offsets (startIndex/endIndex) and columns are
 * UTF-16 code unit indexes into `source`, so they slice the JS string directly.
 * The tree lives in WebAssembly memory: whoever parses calls `tree.delete()`
 * when done (or uses withPythonTree), or memory grows with every file.
 */
export function parsePython(source: string): Tree {
  if (!sharedParser) throw new Error('the Python parser is not loaded: await loadPythonParser() first');
  const tree = sharedParser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/**
 * Parses `text`, which is `previous.text` with `edits` made (offsets into `previous.text`, none
 * overlapping), reusing `previous.tree` for what the edits leave alone: tree-sitter re-reads only
 * around them, so a rewrite of a large module costs a fraction of a parse. `previous.tree` stays
 * as it was (an edited copy is used); the caller deletes the tree returned.
 */
export function reparsePython(previous: { tree: Tree; text: string }, edits: readonly TextEdit[], text: string): Tree {
  if (!sharedParser) throw new Error('the Python parser is not loaded: await loadPythonParser() first');
  const edited = previous.tree.copy();
  try {
    // From the last edit back: an edit's offsets into the original text still hold in the text edited so far.
    const descending = [...edits].sort((a, b) => b.start - a.start);
    const pointAt = pointFinder(previous.text);
    for (const edit of descending) {
      const startPosition = pointAt(edit.start);
      edited.edit(
        treeEdit({
          startIndex: edit.start,
          oldEndIndex: edit.end,
          newEndIndex: edit.start + edit.replacement.length,
          startPosition,
          oldEndPosition: pointAt(edit.end),
          newEndPosition: pointAfter(startPosition, edit.replacement),
        }),
      );
    }
    const tree = sharedParser.parse(text, edited);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  } finally {
    edited.delete();
  }
}

/** Row and column (UTF-16 code units, as the parser's nodes count them) of offsets into `text`. */
function pointFinder(text: string): (offset: number) => Point {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { row: low, column: offset - (lineStarts[low] ?? 0) };
  };
}

/** Where `inserted` ends when written at `start`. */
function pointAfter(start: Point, inserted: string): Point {
  const lastNewline = inserted.lastIndexOf('\n');
  if (lastNewline === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let index = inserted.indexOf('\n'); index !== -1; index = inserted.indexOf('\n', index + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNewline - 1 };
}

/** Parses, hands the tree to `use`, then frees it: what `use` returns must not hold nodes. */
export function withPythonTree<T>(source: string, use: (tree: Tree) => T): T {
  const tree = parsePython(source);
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

/** A field the grammar always gives this node (a class's name and body): its absence is a parser bug. */
export function requiredField(node: SyntaxNode, field: string): SyntaxNode {
  const child = node.childForFieldName(field);
  if (!child) throw new Error(`tree-sitter gave a ${node.type} without its ${field}`);
  return child;
}

/** The first node with a syntax error or a missing token, for a precise message. */
export function firstSyntaxError(tree: Tree): SyntaxNode | undefined {
  if (!tree.rootNode.hasError) return undefined;
  const stack: SyntaxNode[] = [tree.rootNode];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'ERROR' || node.isMissing) return node;
    if (!node.hasError) continue;
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  return tree.rootNode;
}
