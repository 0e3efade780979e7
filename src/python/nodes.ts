import type { SyntaxNode } from './parser.js';

/** The same place in the tree: web-tree-sitter hands out a new object at each access, so `===` says nothing. */
export function sameNode(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** The innermost function or class whose body holds `node` (its own scope), or undefined at module scope. */
export function enclosingScope(node: SyntaxNode): SyntaxNode | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'class_definition' || parent.type === 'lambda')
      return parent;
  }
  return undefined;
}
