import { innermostValue } from './assignments.js';
import { enclosingScope, sameNode } from './nodes.js';
import type { SyntaxNode } from './parser.js';
import { stringLiteralValue } from './syntax.js';

/**
 * What `name` holds where `use` reads it inside the function `definition`, when its parameter `parameter` is
 * `value`: the last assignment before `use` on the branches that value takes (`if env == "production":
 * config_class = ProductionConfig` / `else: config_class = DevelopmentConfig`). Undefined when a branch on
 * the way tests something else, or nothing assigns the name.
 */
export function valueOnPath(
  definition: SyntaxNode,
  name: string,
  use: SyntaxNode,
  parameter: string,
  value: string,
): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  for (const assignment of definition.childForFieldName('body')?.descendantsOfType('assignment') ?? []) {
    const left = assignment?.childForFieldName('left');
    if (!assignment || left?.type !== 'identifier' || left.text !== name || assignment.startIndex > use.startIndex)
      continue;
    if (!sameNode(enclosingScope(assignment), definition)) continue;
    const taken = takenWith(assignment, definition, parameter, value);
    if (taken === undefined) return undefined;
    if (taken) found = innermostValue(assignment);
  }
  return found?.type === 'conditional_expression' ? ternaryChoice(found, parameter, value) : found;
}

/** `ProductionConfig if env == "production" else DevelopmentConfig` with `parameter` = `value`: the branch taken. */
export function ternaryChoice(expression: SyntaxNode, parameter: string, value: string): SyntaxNode | undefined {
  const [whenTrue, condition, whenFalse] = expression.namedChildren;
  const holds = condition ? comparison(condition, parameter, value) : undefined;
  return holds === undefined ? undefined : holds ? whenTrue : whenFalse;
}

/** Whether the branches around `node` (up to `definition`) all run when `parameter` is `value`. */
export function takenWith(
  node: SyntaxNode,
  definition: SyntaxNode,
  parameter: string,
  value: string,
): boolean | undefined {
  const holds = (condition: SyntaxNode | null) => (condition ? comparison(condition, parameter, value) : undefined);
  for (let child = node, at = node.parent; at && !sameNode(at, definition); child = at, at = at.parent) {
    if (at.type !== 'if_statement' && at.type !== 'elif_clause') continue;
    if (sameNode(at.childForFieldName('consequence'), child)) {
      const result = holds(at.childForFieldName('condition'));
      if (result !== true) return result;
      continue;
    }
    if (at.type !== 'if_statement') continue;
    // In an elif or else: the `if` and every elif before the clause did not hold.
    const earlier = [at, ...at.namedChildren.filter((clause) => clause.type === 'elif_clause')].filter(
      (clause) => clause.startIndex < child.startIndex,
    );
    for (const clause of earlier) {
      const result = holds(clause.childForFieldName('condition'));
      if (result !== false) return result === undefined ? undefined : false;
    }
  }
  return true;
}

/** `parameter == "x"`, `!= "x"`, `in ("a", "b")`, `not in [...]` evaluated for `parameter` = `value`. */
function comparison(condition: SyntaxNode, parameter: string, value: string): boolean | undefined {
  if (condition.type === 'parenthesized_expression' && condition.namedChildren[0])
    return comparison(condition.namedChildren[0], parameter, value);
  if (condition.type !== 'comparison_operator' || condition.namedChildren.length !== 2) return undefined;
  const [left, right] = condition.namedChildren;
  const operator = condition.children
    .filter((child) => !child.isNamed)
    .map((child) => child.text)
    .join(' ');
  if (left?.type !== 'identifier' || left.text !== parameter || !right) return undefined;
  const single = stringLiteralValue(right);
  const many =
    right.type === 'tuple' || right.type === 'list' || right.type === 'set'
      ? right.namedChildren.map((item) => stringLiteralValue(item))
      : undefined;
  if ((operator === '==' || operator === '!=') && single !== undefined)
    return (single === value) === (operator === '==');
  if ((operator === 'in' || operator === 'not in') && many && many.every((item) => item !== undefined))
    return many.includes(value) === (operator === 'in');
  return undefined;
}
