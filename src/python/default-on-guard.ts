import type { Requirement } from '../core/findings.js';
import { debugGuards } from './debug-guard.js';
import { sameNode } from './nodes.js';
import { ENVIRON, environmentRead, stringsOf, unsetString } from './env-reads.js';
import { localBinding } from './local-bindings.js';
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
  if (guards.length === 0) return undefined;
  // An `else` is listed twice, as the `if` it belongs to and as its other branch: the other branch decides.
  const otherBranches = guards.filter((guard) => guard.otherwise).map((guard) => guard.condition);
  let open: OpenGuard | undefined;
  for (const { condition, otherwise } of guards) {
    if (!otherwise && otherBranches.some((other) => sameNode(other, condition))) continue;
    // `if os.getenv("ENV") == "PROD": ... else: app.run(debug=True)`: unset, the `else` runs.
    const verdict = otherwise ? elseRunsWhileUnset(facts, condition, node) : holdsWhileUnset(facts, condition, isOn);
    if (!verdict) return undefined;
    open ??= verdict;
  }
  return open;
}

/** The `else` (or a later `elif`) of `condition` runs while unset: it and every `elif` before `node` fail. */
function elseRunsWhileUnset(facts: ModuleFacts, condition: SyntaxNode, node: SyntaxNode): OpenGuard | undefined {
  const statement = condition.parent;
  const before = (statement?.childrenForFieldName('alternative') ?? []).filter(
    (branch) => branch.type === 'elif_clause' && branch.endIndex <= node.startIndex,
  );
  const conditions = [condition, ...before.map((branch) => branch.childForFieldName('condition'))];
  const reasons: string[] = [];
  for (const each of conditions) {
    const why = each ? failsWhileUnset(facts, each) : undefined;
    if (!why) return undefined;
    reasons.push(why);
  }
  return { why: `${reasons.join(', and ')}, so this branch runs` };
}

/**
 * Words when `condition` is false while the environment is unset (`os.getenv("ENV") == "PROD"`,
 * `"DYNO" in os.environ`, a read with no default): undefined when it holds or we cannot tell.
 */
export function failsWhileUnset(facts: ModuleFacts, condition: SyntaxNode): string | undefined {
  const why = (variable: string) => `${condition.text} is false while ${variable} is unset`;
  if (condition.type === 'parenthesized_expression' && condition.namedChildren[0])
    return failsWhileUnset(facts, condition.namedChildren[0]);
  if (condition.type === 'not_operator') {
    const argument = condition.childForFieldName('argument');
    return argument && holdsWhileUnset(facts, argument) ? `${condition.text} is false while unset` : undefined;
  }
  if (condition.type === 'boolean_operator') {
    const operator = condition.childForFieldName('operator')?.text;
    const [left, right] = [condition.childForFieldName('left'), condition.childForFieldName('right')];
    const sides = [left && failsWhileUnset(facts, left), right && failsWhileUnset(facts, right)];
    if (operator === 'and') return sides.find(Boolean) ?? undefined;
    if (sides.every(Boolean)) return `${condition.text} is false while both are unset`;
    // `is_production or is_docker`: one side false while unset, the other not about the environment (a file
    // test, the platform): false wherever that other side is, as on a developer's machine.
    const [failing, other] = sides[0] ? [sides[0], right] : [sides[1], left];
    return failing && other && !holdsWhileUnset(facts, other)
      ? `${failing}, and on a machine where ${other.text} is false`
      : undefined;
  }
  if (condition.type === 'identifier') {
    // `IS_PROD = os.getenv("ENV") == "PROD"`, then `if IS_PROD:`.
    const bound = bindingOf(facts, condition);
    if (bound && bound.type !== 'call') return failsWhileUnset(facts, bound);
  }
  if (condition.type === 'identifier' || condition.type === 'call') {
    const read = unsetNone(facts, condition);
    const empty = unsetString(facts, condition);
    if (read) return why(read);
    return empty?.value === '' ? why(empty.variable) : undefined;
  }
  const comparison = singleComparison(condition);
  if (!comparison) return undefined;
  const { left, right, operator } = comparison;
  // `"DYNO" in os.environ`: the variable is not there while unset.
  const named = stringsOf(left);
  if (named?.length === 1 && facts.refersTo(right, ENVIRON)) return operator === 'in' ? why(named[0] ?? '') : undefined;
  if (operator === 'is not' && right.type === 'none') {
    const read = unsetNone(facts, left);
    return read ? why(read) : undefined;
  }
  if (!['==', 'in', '!=', 'not in'].includes(operator)) return undefined;
  const compared = stringsOf(right) ?? (operator === '==' || operator === '!=' ? stringsOf(left) : undefined);
  const subject = stringsOf(right) ? left : right;
  if (!compared) return undefined;
  const negated = operator === '!=' || operator === 'not in';
  const constant = constantString(facts, subject);
  if (constant !== undefined)
    return compared.includes(constant) === negated
      ? `${condition.text} is always false (${constantWords(subject, constant)})`
      : undefined;
  const direct = unsetString(facts, subject) ?? (subject.type === 'identifier' ? boundRead(facts, subject) : undefined);
  if (direct) return compared.includes(direct.value) === negated ? why(direct.variable) : undefined;
  // Unset, a read with no default is None: equal to no string compared, and in no list of them.
  const read = negated ? undefined : unsetNone(facts, subject);
  return read ? why(read) : undefined;
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
  if (condition.type === 'parenthesized_expression' && condition.namedChildren[0])
    return holdsWhileUnset(facts, condition.namedChildren[0], isOn);
  if (condition.type === 'not_operator') {
    const argument = condition.childForFieldName('argument');
    const fails = argument && failsWhileUnset(facts, argument);
    return fails ? { why: `${condition.text} holds: ${fails}` } : undefined;
  }
  // `env is None or env not in [...]`: one side holding is enough; `and` needs both (a value read elsewhere aside).
  if (condition.type === 'boolean_operator') {
    const operator = condition.childForFieldName('operator')?.text;
    const [left, right] = [condition.childForFieldName('left'), condition.childForFieldName('right')];
    const sides = [left && holdsWhileUnset(facts, left, isOn), right && holdsWhileUnset(facts, right, isOn)];
    const held = sides.filter((side): side is OpenGuard => !!side && !side.requires);
    if (operator === 'or') return held[0];
    return operator === 'and' && held.length === 2
      ? { why: `${condition.text} holds while both are unset` }
      : undefined;
  }
  if (isOn && (condition.type === 'identifier' || condition.type === 'attribute')) {
    const on = isOn(condition);
    return on ? { why: `the guard \`if ${condition.text}\` holds by default: ${on}` } : undefined;
  }
  const comparison = singleComparison(condition);
  if (!comparison) return undefined;
  const { left, right, operator } = comparison;
  // `"DYNO" not in os.environ`: holds while the variable is unset.
  const named = stringsOf(left);
  if (named?.length === 1 && facts.refersTo(right, ENVIRON))
    return operator === 'not in' ? { why: `${condition.text} holds while ${named[0]} is unset` } : undefined;
  // `os.environ.get("FLASK_ENV") is None`: an unset variable with no default reads as None.
  if ((operator === 'is' || operator === 'is not') && right.type === 'none') {
    const read = unsetNone(facts, left);
    return read && operator === 'is' ? { why: `${condition.text} holds while ${read} is unset` } : undefined;
  }
  if (!['==', 'in', '!=', 'not in'].includes(operator)) return undefined;
  const compared = stringsOf(right) ?? (operator === '==' || operator === '!=' ? stringsOf(left) : undefined);
  const subject = stringsOf(right) ? left : right;
  if (!compared) return undefined;
  const why = (variable: string) => `${condition.text} holds while ${variable} is unset`;
  const negated = operator === '!=' || operator === 'not in';
  // `ENV = "dev"` then `if ENV == "dev":`: a constant of the module decides, whatever the environment.
  const constant = constantString(facts, subject);
  if (constant !== undefined)
    return compared.includes(constant) !== negated
      ? { why: `${condition.text} always holds (${constantWords(subject, constant)})` }
      : undefined;
  const direct = unsetString(facts, subject) ?? (subject.type === 'identifier' ? boundRead(facts, subject) : undefined);
  if (direct) return compared.includes(direct.value) !== negated ? { why: why(direct.variable) } : undefined;
  if (negated) {
    // `os.getenv("DEBUG") != "0"`: an unset variable reads as None, which differs from every string compared.
    const read = unsetNone(facts, subject);
    return read ? { why: why(read) } : undefined;
  }
  const imported = subject.type === 'identifier' ? facts.importedRef(subject.text) : undefined;
  return imported
    ? { why: why(subject.text), requires: { kind: 'imported-setting', ref: imported, equals: compared } }
    : undefined;
}

/** `left <operator> right` of a comparison with one operator (`not in` with its words single-spaced). */
function singleComparison(
  condition: SyntaxNode,
): { left: SyntaxNode; right: SyntaxNode; operator: string } | undefined {
  if (condition.type !== 'comparison_operator') return undefined;
  const operands = condition.namedChildren.filter((child) => child.type !== 'comment');
  const operators = condition.childrenForFieldName('operators').map((operator) => operator.text.replace(/\s+/g, ' '));
  const [left, right] = operands;
  const [operator] = operators;
  return operands.length === 2 && operators.length === 1 && left && right && operator !== undefined
    ? { left, right, operator }
    : undefined;
}

/** The string a module-level name is bound to once (`ENV = "dev"`), if `subject` is such a name. */
function constantString(facts: ModuleFacts, subject: SyntaxNode): string | undefined {
  const value = subject.type === 'identifier' ? facts.constant(subject.text) : undefined;
  return value?.kind === 'string' ? value.value : undefined;
}

const constantWords = (subject: SyntaxNode, value: string) => `${subject.text} is "${value}" in this module`;

/** What a name is bound to: once at module scope, or in the function that uses it. */
function bindingOf(facts: ModuleFacts, name: SyntaxNode): SyntaxNode | undefined {
  return facts.constantNode(name.text) ?? localBinding(facts, name);
}

function boundRead(facts: ModuleFacts, name: SyntaxNode): { variable: string; value: string } | undefined {
  const value = bindingOf(facts, name);
  return value ? unsetString(facts, value) : undefined;
}

/** The variable of a read (directly, or bound to a name) that gives None while unset: no default, no string method. */
function unsetNone(facts: ModuleFacts, subject: SyntaxNode): string | undefined {
  const bound = subject.type === 'identifier' ? bindingOf(facts, subject) : undefined;
  const node = bound ?? subject;
  const read = environmentRead(facts, node);
  return read && read.transforms.length === 0 && unsetString(facts, node) === undefined ? read.variable : undefined;
}

/**
 * An opt-in read off the environment (`if os.getenv("DEBUG") == "1":`, `if os.environ.get("DEV"):`):
 * the code under it runs only where that variable is given a value the guard accepts. A deploy file
 * that gives it one turns the opt-in on in production.
 */
export interface EnvironmentOptIn {
  variable: string;
  /** The values the guard accepts after `transforms`; absent: any non-empty value. */
  equals?: string[];
  /** `.lower()`-style methods the code applies to the value before comparing. */
  transforms: string[];
  /** The condition as written, for messages. */
  condition: string;
}

/** The environment opt-in `node` sits under, when its one guard is one (and `node` is not in its `else`). */
export function environmentOptIn(facts: ModuleFacts, node: SyntaxNode): EnvironmentOptIn | undefined {
  const guards = debugGuards(node);
  const [guard] = guards;
  if (guards.length !== 1 || !guard || guard.otherwise) return undefined;
  const optIn = conditionOptIn(facts, guard.condition);
  return optIn && { ...optIn, condition: guard.condition.text };
}

function conditionOptIn(facts: ModuleFacts, condition: SyntaxNode): Omit<EnvironmentOptIn, 'condition'> | undefined {
  const readOf = (subject: SyntaxNode) => {
    const bound = subject.type === 'identifier' ? facts.constantNode(subject.text) : undefined;
    return environmentRead(facts, bound ?? subject);
  };
  if (condition.type === 'parenthesized_expression' && condition.namedChildren[0])
    return conditionOptIn(facts, condition.namedChildren[0]);
  if (condition.type === 'call' || condition.type === 'identifier') {
    const read = readOf(condition);
    // A boolean reader (strtobool, env.bool) accepts its own words; plain truthiness, any non-empty string.
    return read && !read.booleanWords ? { variable: read.variable, transforms: read.transforms } : undefined;
  }
  // `os.getenv("DEBUG") and os.getenv("DEBUG") == "1"`: both sides about one variable, read the same way.
  if (condition.type === 'boolean_operator' && condition.childForFieldName('operator')?.text === 'and') {
    const left = condition.childForFieldName('left');
    const right = condition.childForFieldName('right');
    const [one, other] = [left && conditionOptIn(facts, left), right && conditionOptIn(facts, right)];
    if (!one || !other || one.variable !== other.variable) return undefined;
    if (one.equals && other.equals) return undefined;
    const compared = one.equals ? one : other;
    return compared.equals?.includes('') ? undefined : compared;
  }
  const comparison = singleComparison(condition);
  if (!comparison || !['==', 'in'].includes(comparison.operator)) return undefined;
  const { left, right, operator } = comparison;
  const equals = stringsOf(right) ?? (operator === '==' ? stringsOf(left) : undefined);
  const read = equals ? readOf(stringsOf(right) ? left : right) : undefined;
  return read && equals ? { variable: read.variable, equals, transforms: read.transforms } : undefined;
}

// What python-decouple, environs and strtobool take for true, compared after lower-casing.
const BOOLEAN_ON_WORDS = ['1', 'y', 'yes', 't', 'true', 'on'];

/**
 * A debug value read off the environment that is off by default (`debug=os.getenv("APP_DEBUG", "") == "1"`,
 * `config("DEBUG", default=False, cast=bool)`, or a module constant bound to one): an opt-in like a guard's,
 * on only where a deploy file gives the variable a value it accepts.
 */
export function valueOptIn(facts: ModuleFacts, value: SyntaxNode, hops = 0): EnvironmentOptIn | undefined {
  if (value.type === 'parenthesized_expression' && value.namedChildren[0])
    return valueOptIn(facts, value.namedChildren[0], hops);
  if (value.type === 'identifier') {
    const bound = hops < 2 ? facts.constantNode(value.text) : undefined;
    return bound ? valueOptIn(facts, bound, hops + 1) : undefined;
  }
  const read = environmentRead(facts, value);
  if (read?.booleanWords)
    return {
      variable: read.variable,
      equals: BOOLEAN_ON_WORDS,
      transforms: [...read.transforms, 'lower'],
      condition: value.text,
    };
  const optIn = conditionOptIn(facts, value);
  return optIn && { ...optIn, condition: value.text };
}
