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
