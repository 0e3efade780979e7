import { enclosingScope, sameNode } from './nodes.js';
import type { SyntaxNode } from './parser.js';

/** For `a = b = value`, the `value`. */
export function innermostValue(assignment: SyntaxNode): SyntaxNode | undefined {
  let value = assignment.childForFieldName('right');
  while (value?.type === 'assignment') value = value.childForFieldName('right');
  // `app = await make_app()` binds what the call returns, as `app = make_app()` does.
  if (value?.type === 'await') value = value.namedChildren[0] ?? value;
  return value ?? undefined;
}

/** The statement an assignment (possibly one link of a chain) belongs to. */
export function assignmentStatement(assignment: SyntaxNode): SyntaxNode {
  let current = assignment;
  while (current.parent?.type === 'assignment') current = current.parent;
  return current.parent?.type === 'expression_statement' ? current.parent : current;
}

/** The value bound by `NAME = value` when that statement binds a global: not inside a function or class. */
export function moduleScopeAssignmentValue(identifier: SyntaxNode): SyntaxNode | undefined {
  const assignment = identifier.parent;
  if (identifier.type !== 'identifier' || assignment?.type !== 'assignment') return undefined;
  if (!sameNode(assignment.childForFieldName('left'), identifier)) return undefined;
  const statement = assignmentStatement(assignment);
  if (statement.parent?.type !== 'module' && (statement.parent?.type !== 'block' || enclosingScope(statement)))
    return undefined;
  return innermostValue(assignment);
}

/**
 * `debug_mode = True` a few statements above `app.run(debug=debug_mode)` in the same block: the value the
 * nearest such assignment before the use gives, whatever guards the block sits under (they guard the use too).
 */
export function sameBlockBinding(use: SyntaxNode): SyntaxNode | undefined {
  let statement: SyntaxNode | null = use;
  while (statement?.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module')
    statement = statement.parent;
  for (let previous = statement?.previousNamedSibling; previous; previous = previous.previousNamedSibling) {
    const assignment = previous.type === 'expression_statement' ? previous.namedChildren[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    if (left?.type === 'identifier' && left.text === use.text)
      return assignment ? innermostValue(assignment) : undefined;
    // A statement between that may bind it again (`if prod: debug_mode = False`): the value is not known.
    if (new RegExp(`\\b${use.text}[ \\t]*(?::[^=\\n]*)?=(?!=)`).test(previous.text)) return undefined;
  }
  return undefined;
}
