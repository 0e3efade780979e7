import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

const require = createRequire(import.meta.url);
let sharedParser: Parser | undefined;

/** One tree-sitter parser per thread, created on first use (loading it costs ~20 ms). */
function pythonParser(): Parser {
  if (!sharedParser) {
    const ParserClass = require('tree-sitter') as typeof Parser;
    const python = require('tree-sitter-python') as Parser.Language;
    sharedParser = new ParserClass();
    sharedParser.setLanguage(python);
  }
  return sharedParser;
}

/**
 * Parses Python source. Node offsets (startIndex/endIndex) are UTF-16 code
 * unit indexes into `source`, so they slice the JS string directly.
 */
export function parsePython(source: string): Tree {
  // The default 32 KiB buffer makes tree-sitter re-read long inputs in slices; one buffer is faster.
  return pythonParser().parse(source, undefined, { bufferSize: source.length * 2 + 1024 });
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
