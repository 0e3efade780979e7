import type { PythonContext } from '../../src/rules/rule.js';
import { localBinding } from '../../src/python/local-bindings.js';
import { enclosingScope, sameNode } from '../../src/python/nodes.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { switchValue, type SwitchValue } from '../../src/python/flask-patterns.js';
import { callParts, stringLiteralValue } from '../../src/python/syntax.js';

/** The entry of a mapping a call unpacks (`app.run(**RUN_OPTIONS)`, `run_simple(..., **options)`) for one key. */
export interface SplatDebug {
  /** `**RUN_OPTIONS` in the call. */
  splat: SyntaxNode;
  /**
   * What to report and remove: `"debug": True` of a dict display, `debug=True` of a dict() call (an item), or
   * the statement `options.setdefault("use_debugger", True)` / `options["use_debugger"] = True`.
   */
  entry: SyntaxNode;
  entryIsStatement: boolean;
  value: SwitchValue;
  mapping: string;
}

/**
 * `RUN_OPTIONS = {"host": "0.0.0.0", "debug": True}` then `app.run(**RUN_OPTIONS)`: run() gets debug=True as
 * surely as when it is written out. Read from a dict display or a `dict(...)` call bound in this module or
 * function (or written in place), or set on the unpacked name earlier in the function
 * (`options.setdefault("use_debugger", True)`, `options["use_debugger"] = True`); anything else (a parsed
 * file, a merged dict) is not followed.
 */
export function splatDebug(facts: PythonContext['facts'], call: SyntaxNode, key = 'debug'): SplatDebug | undefined {
  const splat = call.childForFieldName('arguments')?.namedChildren.find((child) => child.type === 'dictionary_splat');
  const expression = splat?.namedChildren[0];
  if (!splat || !expression) return undefined;
  const mapping =
    expression.type === 'identifier'
      ? (localBinding(facts, expression) ?? facts.constantNode(expression.text))
      : expression;
  const item = mapping && mappingEntry(mapping, key);
  const setting = item ? undefined : expression.type === 'identifier' && setBefore(expression, call, key);
  const entry = item ?? (setting || undefined);
  const value = entry && switchValue(facts, entry.value);
  return entry && value?.truthy
    ? { splat, entry: entry.node, entryIsStatement: !item, value, mapping: expression.text }
    : undefined;
}

function mappingEntry(mapping: SyntaxNode, key: string): { node: SyntaxNode; value: SyntaxNode } | undefined {
  if (mapping.type === 'dictionary') {
    for (const pair of mapping.namedChildren) {
      const pairKey = pair.type === 'pair' ? pair.childForFieldName('key') : null;
      const value = pair.childForFieldName('value');
      if (pairKey && value && stringLiteralValue(pairKey) === key) return { node: pair, value };
    }
    return undefined;
  }
  const parts = mapping.type === 'call' ? callParts(mapping) : undefined;
  const entry = parts?.callee.text === 'dict' ? parts.keywords.get(key) : undefined;
  return entry ? { node: entry.keyword, value: entry.value } : undefined;
}

/**
 * The last statement of the function around `call`, before it and at its own level, that sets `key` on the
 * mapping `name` names: `name.setdefault("key", value)` or `name["key"] = value`.
 */
function setBefore(
  name: SyntaxNode,
  call: SyntaxNode,
  key: string,
): { node: SyntaxNode; value: SyntaxNode } | undefined {
  const scope = enclosingScope(call);
  const body = scope?.type === 'function_definition' ? scope.childForFieldName('body') : null;
  let found: { node: SyntaxNode; value: SyntaxNode } | undefined;
  for (const statement of body?.namedChildren ?? []) {
    if (statement.startIndex >= call.startIndex) break;
    const expression = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const value = expression && valueSet(expression, name.text, key);
    if (value && sameNode(enclosingScope(statement), scope)) found = { node: statement, value };
  }
  return found;
}

function valueSet(expression: SyntaxNode, name: string, key: string): SyntaxNode | undefined {
  if (expression.type === 'call') {
    const parts = callParts(expression);
    const [keyNode, value] = parts?.positional ?? [];
    const setdefault = parts?.callee.text.replace(/\s+/g, '') === `${name}.setdefault`;
    return setdefault && keyNode && stringLiteralValue(keyNode) === key ? value : undefined;
  }
  if (expression.type !== 'assignment') return undefined;
  const target = expression.childForFieldName('left');
  const subscript = target?.type === 'subscript' ? target.childForFieldName('subscript') : null;
  const object = target?.childForFieldName('value');
  const matches = object?.text === name && subscript && stringLiteralValue(subscript) === key;
  return matches ? (expression.childForFieldName('right') ?? undefined) : undefined;
}
