import type { PythonContext } from '../../src/rules/rule.js';
import { localBinding } from '../../src/python/local-bindings.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { switchValue, type SwitchValue } from '../../src/python/flask-patterns.js';
import { callParts, stringLiteralValue } from '../../src/python/syntax.js';

/** The `debug` entry of a mapping a run() call unpacks (`app.run(**RUN_OPTIONS)`), and its value. */
export interface SplatDebug {
  /** `**RUN_OPTIONS` in the call. */
  splat: SyntaxNode;
  /** The entry to report and remove: `"debug": True` of a dict display, `debug=True` of a dict() call. */
  entry: SyntaxNode;
  value: SwitchValue;
  mapping: string;
}

/**
 * `RUN_OPTIONS = {"host": "0.0.0.0", "debug": True}` then `app.run(**RUN_OPTIONS)`: run() gets debug=True as
 * surely as when it is written out. Read from a dict display or a `dict(...)` call bound in this module or
 * function (or written in place); anything else (a parsed file, a merged dict) is not followed.
 */
export function splatDebug(facts: PythonContext['facts'], call: SyntaxNode): SplatDebug | undefined {
  const splat = call.childForFieldName('arguments')?.namedChildren.find((child) => child.type === 'dictionary_splat');
  const expression = splat?.namedChildren[0];
  if (!splat || !expression) return undefined;
  const mapping =
    expression.type === 'identifier'
      ? (localBinding(facts, expression) ?? facts.constantNode(expression.text))
      : expression;
  const entry = mapping && debugEntry(mapping);
  const value = entry && switchValue(facts, entry.value);
  return entry && value?.truthy ? { splat, entry: entry.node, value, mapping: expression.text } : undefined;
}

function debugEntry(mapping: SyntaxNode): { node: SyntaxNode; value: SyntaxNode } | undefined {
  if (mapping.type === 'dictionary') {
    for (const pair of mapping.namedChildren) {
      const key = pair.type === 'pair' ? pair.childForFieldName('key') : null;
      const value = pair.childForFieldName('value');
      if (key && value && stringLiteralValue(key) === 'debug') return { node: pair, value };
    }
    return undefined;
  }
  const parts = mapping.type === 'call' ? callParts(mapping) : undefined;
  const debug = parts?.callee.text === 'dict' ? parts.keywords.get('debug') : undefined;
  return debug ? { node: debug.keyword, value: debug.value } : undefined;
}
