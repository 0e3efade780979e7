import type { TextEdit } from '../core/findings.js';
import { lineBreakOf } from './edit-helpers.js';
import { enclosingScope, type ModuleFacts } from './module-facts.js';
import type { SyntaxNode, Tree } from './parser.js';

/** True when `import <module>` (as itself) binds the global name, so module-level code can use it. */
export function importsModuleGlobally(facts: ModuleFacts, module: string, as = module): boolean {
  const binding = facts.moduleScopeImports.get(as);
  return binding !== undefined && binding.module === module && binding.name === null;
}

/**
 * An import statement after the module docstring, `from __future__` imports and the
 * leading block of imports (before the first statement when there are none).
 */
export function importStatementEdit(tree: Tree, text: string, statementText: string): TextEdit {
  const eol = lineBreakOf(text);
  let after: SyntaxNode | undefined;
  for (const statement of tree.rootNode.namedChildren) {
    if (statement.type === 'comment') continue;
    const isDocstring =
      statement.type === 'expression_statement' && statement.namedChildren[0]?.type === 'string' && after === undefined;
    const isImport =
      statement.type === 'import_statement' ||
      statement.type === 'import_from_statement' ||
      statement.type === 'future_import_statement';
    if (!isDocstring && !isImport) break;
    after = statement;
  }
  if (!after) {
    // Before the first statement, after leading comments (shebang, coding cookie, licence header).
    const first = tree.rootNode.namedChildren.find((node) => node.type !== 'comment');
    const offset = first ? first.startIndex : text.length;
    const separator = first ? eol : '';
    return { start: offset, end: offset, replacement: `${statementText}${eol}${separator}` };
  }
  const isDocstringOnly = after.type === 'expression_statement';
  const lineEnd = text.indexOf('\n', after.endIndex);
  const insertAt = lineEnd === -1 ? text.length : lineEnd + 1;
  const prefix = lineEnd === -1 ? eol : '';
  return {
    start: insertAt,
    end: insertAt,
    replacement: `${prefix}${isDocstringOnly ? eol : ''}${statementText}${eol}`,
  };
}

// What binds a name inside a function body: `name =`, `for name in`, `as name`, `import name`, `def name`, `name :=`.
const bindingPattern = (name: string) =>
  new RegExp(
    String.raw`(?:^|[^.\w])${name}\s*(?::=|=(?!=)|,[^=\n]*=(?!=))|\bfor\s+${name}\b|\bas\s+${name}\b|` +
      String.raw`\bimport\s+${name}\b|\bdef\s+${name}\b|\bglobal\s+${name}\b`,
    'm',
  );

/**
 * How `name` reads at `node`: `global` when no enclosing function binds it (the module's
 * name, or a builtin), `local-module` when the innermost function that binds it does so
 * with a plain `import <name>` before `node`, `shadowed` for any other local binding
 * (a parameter, an assignment, `import x as name`).
 */
export function nameScopeAt(node: SyntaxNode, name: string): 'global' | 'local-module' | 'shadowed' {
  for (let scope = enclosingScope(node); scope; scope = enclosingScope(scope)) {
    if (scope.type === 'class_definition') continue; // class bodies are not enclosing scopes for their methods
    const parameters = scope.childForFieldName('parameters');
    const names = (parameters?.namedChildren ?? []).map((parameter) =>
      parameter.type === 'identifier'
        ? parameter
        : (parameter.childForFieldName('name') ?? parameter.namedChildren.find((child) => child.type === 'identifier')),
    );
    if (names.some((identifier) => identifier?.text === name)) return 'shadowed';
    const body = scope.childForFieldName('body');
    if (!body || !bindingPattern(name).test(body.text)) continue;
    if (new RegExp(String.raw`\bglobal\s+(?:\w+\s*,\s*)*${name}\b`).test(body.text)) return 'global';
    const plainImport = new RegExp(String.raw`^[ \t]*import[ \t]+${name}[ \t]*(?:#.*)?$`, 'm').exec(body.text);
    const otherBinding = new RegExp(
      String.raw`(?:^|[^.\w])${name}\s*(?::=|=(?!=))|\bfor\s+${name}\b|\bas\s+${name}\b|\bdef\s+${name}\b`,
      'm',
    ).test(body.text);
    if (plainImport && !otherBinding && body.startIndex + plainImport.index < node.startIndex) return 'local-module';
    return 'shadowed';
  }
  return 'global';
}
