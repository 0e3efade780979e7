import { sameNode } from './nodes.js';
import type { SyntaxNode } from './parser.js';

// A condition that reads the environment or a debug/testing switch means the code
// under it already chooses per environment.
const GUARD_CONDITION =
  /\b(?:environ|getenv|debug|DEBUG|APP_ENV|FLASK_ENV|FLASK_DEBUG|ENV|ENVIRONMENT|TESTING|testing|development|DEVELOPMENT|is_dev\w*|IS_DEV\w*|__debug__)\b/;

/** True when `node` sits inside an `if`/conditional whose condition reads the environment or a debug switch. */
export function isUnderDebugGuard(node: SyntaxNode): boolean {
  return debugGuards(node).length > 0;
}

/**
 * The guards `node` sits under, innermost first: the condition, and whether `node` is in its
 * `else`/`elif` part (where the condition being true means the code does not run).
 */
export function debugGuards(node: SyntaxNode): { condition: SyntaxNode; otherwise: boolean }[] {
  const guards: { condition: SyntaxNode; otherwise: boolean }[] = [];
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    let condition: SyntaxNode | null = null;
    if (parent.type === 'if_statement' || parent.type === 'elif_clause' || parent.type === 'while_statement') {
      condition = parent.childForFieldName('condition');
    } else if (parent.type === 'conditional_expression') {
      condition = parent.namedChildren[1] ?? null;
    }
    if (condition && !sameNode(condition, child) && GUARD_CONDITION.test(condition.text))
      guards.push({ condition, otherwise: false });
    if (parent.type === 'else_clause' || parent.type === 'elif_clause') {
      // `else:` of an environment check is guarded by the `if` it belongs to.
      const ownerCondition = parent.parent?.childForFieldName('condition');
      if (ownerCondition && GUARD_CONDITION.test(ownerCondition.text))
        guards.push({ condition: ownerCondition, otherwise: true });
    }
  }
  return guards;
}
