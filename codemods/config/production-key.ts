import { selectedClass } from '../../src/python/config-selection.js';
import type { ModuleFacts } from '../../src/python/module-facts.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { callParts, stringLiteralValue } from '../../src/python/syntax.js';

const PRODUCTION_NAME = /prod|live|release/i;

/**
 * The key a fallback should name instead, when the map it is looked up in (`CONFIGS[os.getenv("ENV", "local")]`,
 * `{...}.get(name or os.getenv(...))`) is a dictionary of this module: an entry whose config leaves DEBUG off,
 * under a production-sounding key. `null` when the map has no such entry (no key to switch to); undefined
 * when the map is not found here.
 */
export function localProductionKey(facts: ModuleFacts, literal: SyntaxNode): string | null | undefined {
  const dictionary = lookedUpIn(facts, literal);
  if (!dictionary) return undefined;
  const entry = productionEntry(facts, dictionary);
  return entry ? entry.key : null;
}

/**
 * The entry of a config map that production should get: one whose class does not turn DEBUG on (a class
 * imported from elsewhere may not: it is judged by its key) under a production-sounding key (`prod`, `live`,
 * `release`), never "default" nor a testing or staging entry. Null when there is none.
 */
export function productionEntry(facts: ModuleFacts, dictionary: SyntaxNode): { key: string; value: SyntaxNode } | null {
  const candidates: { key: string; value: SyntaxNode }[] = [];
  for (const pair of dictionary.namedChildren) {
    const keyNode = pair.type === 'pair' ? pair.childForFieldName('key') : null;
    const value = pair.childForFieldName('value');
    const key = keyNode ? stringLiteralValue(keyNode) : undefined;
    if (key !== undefined && key !== 'default' && value && selectedClass(facts, value).state !== 'on')
      candidates.push({ key, value });
  }
  return candidates.find((entry) => PRODUCTION_NAME.test(entry.key)) ?? null;
}

/** The dictionary of this module whose lookup key holds `literal`, through a subscript or a `.get(...)`. */
function lookedUpIn(facts: ModuleFacts, literal: SyntaxNode): SyntaxNode | undefined {
  const holds = (node: SyntaxNode | null | undefined) =>
    !!node && node.startIndex <= literal.startIndex && node.endIndex >= literal.endIndex;
  for (let at = literal.parent; at && at.type !== 'function_definition' && at.type !== 'module'; at = at.parent) {
    const parts = at.type === 'call' ? callParts(at) : undefined;
    const isGet = parts?.callee.type === 'attribute' && parts.callee.childForFieldName('attribute')?.text === 'get';
    const map =
      at.type === 'subscript' && holds(at.childForFieldName('subscript'))
        ? at.childForFieldName('value')
        : parts && isGet && holds(parts.positional[0])
          ? parts.callee.childForFieldName('object')
          : null;
    if (!map) continue;
    const display = map.type === 'identifier' ? facts.constantNode(map.text) : map;
    return display?.type === 'dictionary' ? display : undefined;
  }
  return undefined;
}
