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
