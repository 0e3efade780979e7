import type { Requirement } from '../core/findings.js';
import { debugGuards } from './debug-guard.js';
import { sameNode } from './nodes.js';
import { stringsOf, unsetString } from './env-reads.js';
import type { ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';

/** Code under guards that all hold while the environment is unset: it runs by default, so it is no guard. */
export interface OpenGuard {
  /** Words for the message: `APP_ENV == "debug" holds while APP_ENV is unset`. */
  why: string;
  /** Set when the value compared lives in another module and must be confirmed there. */
  requires?: Extract<Requirement, { kind: 'imported-setting' }>;
}

/** What a bare condition (`if DEBUG:`, `if settings.debug:`) is while the environment is unset: words when on. */
export type ConditionIsOn = (condition: SyntaxNode) => string | undefined;

/**
 * `APP_ENV = os.getenv("APP_ENV", "debug")` ... `if APP_ENV == "debug": app.debug = True`: the
 * guard reads the environment, but its default satisfies it. Undefined when `node` is under no
 * guard, or under one that is off by default (a real guard).
 */
export function openGuard(facts: ModuleFacts, node: SyntaxNode, isOn?: ConditionIsOn): OpenGuard | undefined {
  const guards = debugGuards(node);
  if (guards.length === 0 || guards.some((guard) => guard.otherwise)) return undefined;
  let open: OpenGuard | undefined;
  for (const { condition } of guards) {
    const verdict = holdsWhileUnset(facts, condition, isOn);
    if (!verdict) return undefined;
    open ??= verdict;
  }
  return open;
}

/**
 * True when `node` runs while the environment is unset, as far as its guards tell: under an `if`
 * whose condition holds by default, or in the `else` of one that does not. A condition we cannot
 * read is an opt-in (off by default), so its `else` runs.
 */
export function runsWhileUnset(facts: ModuleFacts, node: SyntaxNode, isOn?: ConditionIsOn): boolean {
  const guards = debugGuards(node);
  // An `else` is listed twice, as the `if` it belongs to and as its other branch: the other branch decides.
  const otherBranches = guards.filter((guard) => guard.otherwise).map((guard) => guard.condition);
  return guards.every(({ condition, otherwise }) => {
    if (otherwise) return !holdsWhileUnset(facts, condition, isOn);
    return (
      otherBranches.some((other) => sameNode(other, condition)) || holdsWhileUnset(facts, condition, isOn) !== undefined
    );
  });
}

function holdsWhileUnset(facts: ModuleFacts, condition: SyntaxNode, isOn?: ConditionIsOn): OpenGuard | undefined {
  if (isOn && (condition.type === 'identifier' || condition.type === 'attribute')) {
    const on = isOn(condition);
    return on ? { why: `the guard \`if ${condition.text}\` holds by default: ${on}` } : undefined;
  }
  const operands =
    condition.type === 'comparison_operator' ? condition.namedChildren.filter((child) => child.type !== 'comment') : [];
  const operators = condition.childrenForFieldName('operators').map((operator) => operator.text);
  if (operands.length !== 2 || operators.length !== 1 || !['==', 'in'].includes(operators[0] ?? '')) return undefined;
  const [left, right] = operands as [SyntaxNode, SyntaxNode];
  const compared = stringsOf(right) ?? (operators[0] === '==' ? stringsOf(left) : undefined);
  const subject = stringsOf(right) ? left : right;
  if (!compared) return undefined;
  const why = (variable: string) => `${condition.text} holds while ${variable} is unset`;
  const direct =
    unsetString(facts, subject) ?? (subject.type === 'identifier' ? boundRead(facts, subject.text) : undefined);
  if (direct) return compared.includes(direct.value) ? { why: why(direct.variable) } : undefined;
  const imported = subject.type === 'identifier' ? facts.importedRef(subject.text) : undefined;
  return imported
    ? { why: why(subject.text), requires: { kind: 'imported-setting', ref: imported, equals: compared } }
    : undefined;
}

function boundRead(facts: ModuleFacts, name: string): { variable: string; value: string } | undefined {
  const value = facts.constantNode(name);
  return value ? unsetString(facts, value) : undefined;
}
