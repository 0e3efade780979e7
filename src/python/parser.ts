import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Node, Parser, Tree as WasmTree } from 'web-tree-sitter';
import { packageRoot } from '../core/package-root.js';

export type SyntaxNode = Node;
export type Tree = WasmTree;

// The build copies tree-sitter-python's grammar here (src/build/bundle.ts); the package ships it.
const GRAMMAR_FILE = 'tree-sitter-python.wasm';

let loading: Promise<void> | undefined;
let sharedParser: Parser | undefined;

/** The grammar in the build output, or (running from sources before a build) the dev dependency's copy. */
function grammarPath(): string {
  const built = join(packageRoot(), 'dist', 'bin', GRAMMAR_FILE);
  if (existsSync(built)) return built;
  return createRequire(import.meta.url).resolve(`tree-sitter-python/${GRAMMAR_FILE}`);
}

/**
 * Loads the WebAssembly parser and the Python grammar, once per thread.
 * Instantiating WebAssembly is asynchronous, so every command (and worker)
 * that parses awaits this once at start; parsePython itself stays synchronous.
 */
export function loadPythonParser(): Promise<void> {
  loading ??= (async () => {
    // Imported here, not at the top: `rules`, `explain` and `--help` load the rules but never parse.
    const { Language, Parser } = await import('web-tree-sitter');
    await Parser.init();
    const python = await Language.load(readFileSync(grammarPath()));
    const parser = new Parser();
    parser.setLanguage(python);
    sharedParser = parser;
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

/** The first node with a syntax error or a missing token, for a precise message. */
export function firstSyntaxError(tree: Tree): SyntaxNode | undefined {
  if (!tree.rootNode.hasError) return undefined;
  const stack: SyntaxNode[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.isMissing) return node;
    if (!node.hasError) continue;
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  return tree.rootNode;
}
