import { sameNode } from './nodes.js';
import type { SyntaxNode } from './parser.js';

// A condition that reads the environment or a debug/testing switch means the code
// under it already chooses per environment.
const GUARD_CONDITION =
  /\b(?:environ|getenv|debug|DEBUG|APP_ENV|FLASK_ENV|FLASK_DEBUG|ENV|ENVIRONMENT|TESTING|testing|development|DEVELOPMENT|is_dev\w*|IS_DEV\w*|__debug__)\b/;

// `name = <value>` lines of a module, for names bound to what a guard condition reads.
const ASSIGNMENT_LINE = /^[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)([^\n]*)$/gm;
const boundGuardNames = new WeakMap<object, Set<string>>();

/**
 * Names the module binds to what a guard reads (`mode = os.getenv("DEBUG")`): `if mode == "1":` is the
 * same guard as `if os.getenv("DEBUG") == "1":`. Found once per tree from the text of its assignment lines.
 */
function guardNamesOf(node: SyntaxNode): Set<string> {
  const tree = node.tree;
  let names = boundGuardNames.get(tree);
  if (!names) {
    names = new Set();
    for (const [, name, value] of tree.rootNode.text.matchAll(ASSIGNMENT_LINE))
      if (name && value && GUARD_CONDITION.test(value)) names.add(name);
    boundGuardNames.set(tree, names);
  }
  return names;
}

function isGuardCondition(condition: SyntaxNode): boolean {
  if (GUARD_CONDITION.test(condition.text)) return true;
  const names = guardNamesOf(condition);
  return names.size > 0 && (condition.text.match(/[A-Za-z_]\w*/g) ?? []).some((word) => names.has(word));
}

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
    if (condition && !sameNode(condition, child) && isGuardCondition(condition))
      guards.push({ condition, otherwise: false });
    if (parent.type === 'else_clause' || parent.type === 'elif_clause') {
      // `else:` of an environment check is guarded by the `if` it belongs to.
      const ownerCondition = parent.parent?.childForFieldName('condition');
      if (ownerCondition && isGuardCondition(ownerCondition))
        guards.push({ condition: ownerCondition, otherwise: true });
    }
  }
  return guards;
}
