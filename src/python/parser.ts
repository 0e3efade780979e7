import type { Node, Parser, Tree as WasmTree } from 'web-tree-sitter';
import { loadGrammarParser } from '../files/tree-sitter-runtime.js';

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
  })();
  return loading;
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
