import type { Detection, Requirement } from '../rules/rule.js';
import type { SyntaxNode } from './parser.js';
import { isUnderDebugGuard, type AppEvidence, type ModuleFacts } from './module-facts.js';
import { callParts, literalTruthiness, literalValue, type CallParts } from './syntax.js';

/**
 * Prefilter fragment for a value a rule can prove truthy: True, a non-zero number,
 * a non-empty string, or an UPPER_CASE module constant.
 */
// Parentheses, a backslash continuation or a comment may come before the value: `debug=(True)`, `debug=\` + newline.
export const TRUTHY_VALUE_TEXT = String.raw`(?:[(\s\\]|#[^\n]*\n)*(?:True|[1-9]|0[xob]|['"][^'"]|[A-Z_][A-Z0-9_]*\b)`;

/** Prefilter fragment for the start of a keyword argument, comments between arguments included. */
export const ARGUMENT_START_TEXT = String.raw`[(,]\s*(?:#[^\n]*\n\s*)*`;

/** How a debug switch's value reads: a literal, or a module constant bound to one. */
export interface SwitchValue {
  truthy: boolean;
  /** Human words for the value, e.g. `True`, `"False" (a non-empty string is true)`, `DEBUG (= True)`. */
  describe: string;
}

/**
 * Evaluates a value the way Flask does (`bool(debug)`): True, non-zero numbers and
 * every non-empty string, "False" included, turn the debugger on.
 */
export function switchValue(facts: ModuleFacts, node: SyntaxNode): SwitchValue | undefined {
  if (node.type === 'identifier') {
    const constant = facts.constant(node.text);
    const truthy = constant ? literalTruthiness(constant) : undefined;
    return truthy === undefined ? undefined : { truthy, describe: `${node.text} (a module constant that is ${truthy ? 'true' : 'false'})` };
  }
  const value = literalValue(node);
  const truthy = literalTruthiness(value);
  if (truthy === undefined) return undefined;
  if (value.kind === 'string' && truthy && !/^(?:1|true|yes|on)$/i.test(value.value)) {
    return { truthy, describe: `${node.text} (any non-empty string is true to Flask)` };
  }
  return { truthy, describe: node.text };
}


/** Turns app evidence into the requirement a finding carries (none when proven here). */
export function requirementFor(evidence: AppEvidence): Requirement | undefined {
  return evidence?.kind === 'imported' ? { kind: 'imported-app', ref: evidence.ref } : undefined;
}

export interface AppMethodCall {
  call: SyntaxNode;
  parts: CallParts;
  receiver: SyntaxNode;
  evidence: NonNullable<AppEvidence>;
}

/**
 * Calls of `<receiver>.<method>(...)` whose receiver is (or may be) a Flask app,
 * skipping the ones under a debug/environment guard.
 */
export function appMethodCalls(facts: ModuleFacts, method: string, receiverOf: (receiver: SyntaxNode) => SyntaxNode | undefined = (r) => r): AppMethodCall[] {
  const found: AppMethodCall[] = [];
  for (const call of facts.methodCalls(method)) {
    const parts = callParts(call);
    if (!parts || parts.callee.type !== 'attribute') continue;
    const object = parts.callee.childForFieldName('object');
    const receiver = object ? receiverOf(object) : undefined;
    if (!receiver) continue;
    const evidence = facts.appEvidence(receiver);
    if (!evidence || isUnderDebugGuard(call)) continue;
    found.push({ call, parts, receiver, evidence });
  }
  return found;
}

/** For `app.config.update(...)`: the `app` of an `<x>.config` receiver. */
export function configOwner(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type !== 'attribute' || node.childForFieldName('attribute')?.text !== 'config') return undefined;
  return node.childForFieldName('object') ?? undefined;
}

/** Calls of a function known by its qualified name (through imports), not under a guard. */
export function callsOf(facts: ModuleFacts, qualifiedNames: ReadonlySet<string>): { call: SyntaxNode; parts: CallParts }[] {
  const found: { call: SyntaxNode; parts: CallParts }[] = [];
  for (const call of facts.callsOfQualified(qualifiedNames)) {
    const parts = callParts(call);
    if (!parts || isUnderDebugGuard(call)) continue;
    found.push({ call, parts });
  }
  return found;
}

/** The node to underline for an argument: the whole `debug=True` when passed by keyword. */
export function argumentRange(parts: CallParts, keyword: string, value: SyntaxNode): Pick<Detection, 'start' | 'end'> {
  const byKeyword = parts.keywords.get(keyword);
  const node = byKeyword && byKeyword.value === value ? byKeyword.keyword : value;
  return { start: node.startIndex, end: node.endIndex };
}

