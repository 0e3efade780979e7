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

/**
 * The default value of the parameter `use` (an identifier) names in the function around it:
 * `"config.Settings"` for `config_object` in `def create_app(config_object="config.Settings")`.
 */
export function parameterDefaultValue(use: SyntaxNode): SyntaxNode | undefined {
  const scope = enclosingScope(use);
  const parameters = scope?.type === 'function_definition' ? scope.childForFieldName('parameters') : null;
  for (const parameter of parameters?.namedChildren ?? []) {
    if (parameter.type !== 'default_parameter' && parameter.type !== 'typed_default_parameter') continue;
    if (parameter.childForFieldName('name')?.text === use.text)
      return parameter.childForFieldName('value') ?? undefined;
  }
  return undefined;
}
