import { enclosingScope, innermostValue, isUnderDebugGuard, sameNode, type ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';

/**
 * The value a name is bound to in the function that uses it, when that function binds it
 * exactly once (`debug = os.getenv(...)` then `app.run(debug=debug)` in `main()`).
 */
export function localBinding(facts: ModuleFacts, use: SyntaxNode): SyntaxNode | undefined {
  const scope = enclosingScope(use);
  const body = scope?.type === 'function_definition' ? scope.childForFieldName('body') : null;
  if (!body) return undefined;
  const values = facts
    .anchors(new RegExp(`^[ \\t]*(?<anchor>${use.text})[ \\t]*(?::[^=\\n]*)?=(?!=)`, 'm'), body)
    .flatMap((identifier) => {
      const assignment = identifier.parent;
      if (
        assignment?.type !== 'assignment' ||
        !sameNode(assignment.childForFieldName('left'), identifier) ||
        !sameNode(enclosingScope(assignment), scope)
      )
        return [];
      const value = innermostValue(assignment);
      return value && value.endIndex <= use.startIndex ? [value] : [];
    });
  const [only] = values;
  return values.length === 1 && only && !isUnderDebugGuard(only) ? only : undefined;
}

/**
 * What a name holds where it is read: its one binding in the function around it, else (when that
 * function neither binds it nor takes it as a parameter) its one binding at module level.
 */
export function boundValue(facts: ModuleFacts, name: SyntaxNode): SyntaxNode | undefined {
  const local = localBinding(facts, name);
  if (local) return local;
  const scope = enclosingScope(name);
  if (scope?.type === 'function_definition') {
    const parameters = scope.childForFieldName('parameters');
    const names = new RegExp(`(?:^|[(,*\\s])${name.text}\\b`);
    const body = scope.childForFieldName('body');
    if (
      (parameters && names.test(parameters.text)) ||
      (body && new RegExp(`\\b${name.text}\\s*=(?!=)`).test(body.text))
    )
      return undefined;
  }
  return facts.constantNode(name.text);
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
