import { escapeRegExp } from '../core/escape-regexp.js';
import { configFallback, type ConfigFallback } from './config-fallback.js';
import type { ModuleFacts } from './module-facts.js';
import { parameterDefaultValue } from './nodes.js';
import type { SyntaxNode } from './parser.js';
import { callParts } from './syntax.js';

/**
 * A config selector function: `def get_config(name): return {"development": Dev, ...}.get(name or
 * os.getenv("FLASK_ENV", "development"))`, or `return CONFIGS[name]`. A call of it selects what the map
 * holds for the name it is given, as `CONFIGS[name]` would; given nothing, what its key falls back to.
 */
export interface SelectorLookup {
  /** The map looked up: a name bound to a dictionary, or the dictionary itself. */
  map: SyntaxNode;
  /** The key expression (`name`, `name or os.getenv(...)`). */
  key: SyntaxNode;
  /** The function's first parameter, the name its callers pass (none: the key reads only the environment). */
  parameter: string | undefined;
}

/** The top-level or nested `def name(...)` of this module (the first one). */
export function functionDefinition(facts: ModuleFacts, name: string): SyntaxNode | undefined {
  return facts
    .anchors(new RegExp(`\\bdef\\s+(?<anchor>${escapeRegExp(name)})\\s*\\(`))
    .map((identifier) => identifier.parent)
    .find((node): node is SyntaxNode => node?.type === 'function_definition');
}

/**
 * The lookup `def <name>(...)` of this module returns as its last statement, after nothing but assignments
 * (`env = os.getenv("FLASK_ENV", "development")` then `return CONFIGS.get(env)`), or undefined.
 */
export function selectorLookup(facts: ModuleFacts, name: string): SelectorLookup | undefined {
  const definition = functionDefinition(facts, name);
  const first = definition?.childForFieldName('parameters')?.namedChildren[0];
  const parameter = first?.type === 'identifier' ? first.text : first?.childForFieldName('name')?.text;
  // A docstring may come first; the return is the one statement that does anything.
  const statements = definition?.childForFieldName('body')?.namedChildren.filter((node) => node.type !== 'comment');
  const body = statements?.filter(
    (node) => !(node.type === 'expression_statement' && node.firstNamedChild?.type === 'string'),
  );
  const last = body?.at(-1);
  const assignmentsFirst = body
    ?.slice(0, -1)
    .every((node) => node.type === 'expression_statement' && node.firstNamedChild?.type === 'assignment');
  const returned = last?.type === 'return_statement' && assignmentsFirst ? last.firstNamedChild : null;
  if (!returned) return undefined;
  if (returned.type === 'subscript') {
    const map = returned.childForFieldName('value');
    const key = returned.childForFieldName('subscript');
    return map && key ? { map, key, parameter } : undefined;
  }
  const parts = returned.type === 'call' ? callParts(returned) : undefined;
  const callee = parts?.callee;
  const map = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
  const key = parts?.positional[0];
  return map && key && callee?.childForFieldName('attribute')?.text === 'get' ? { map, key, parameter } : undefined;
}

/** True when the key the selector looks up is its parameter, alone or with a fallback (`name or ...`). */
export function keyedByParameter(lookup: SelectorLookup): boolean {
  const key = lookup.key.type === 'boolean_operator' ? lookup.key.childForFieldName('left') : lookup.key;
  return key?.type === 'identifier' && lookup.parameter !== undefined && key.text === lookup.parameter;
}

/**
 * `get_config()`, `get_config(None)`, or `get_config(env)` inside `def create_app(env=None)`: the config the
 * selector's key falls back to when it is given nothing.
 */
export function selectorCallFallback(
  facts: ModuleFacts,
  call: SyntaxNode,
): { fallback: ConfigFallback; lookup: SelectorLookup } | undefined {
  const parts = callParts(call);
  const lookup = parts?.callee.type === 'identifier' ? selectorLookup(facts, parts.callee.text) : undefined;
  if (!parts || !lookup) return undefined;
  const passed = parts.positional[0];
  // A key that reads only the environment (`def get_config(): return CONFIGS[os.getenv("APP_ENV", "dev")]`).
  const givesNothing =
    !keyedByParameter(lookup) ||
    passed === undefined ||
    passed.type === 'none' ||
    (passed.type === 'identifier' && parameterDefaultValue(passed)?.type === 'none');
  const fallback = givesNothing ? configFallback(facts, lookup.key) : undefined;
  return fallback && { fallback, lookup };
}

/**
 * The selector functions of this module whose key reads only the environment (`def get_config(): return
 * CONFIGS[os.getenv("FLASK_ENV", "development")]`), with what the key falls back to: what any call selects
 * when the environment is unset, wherever it is called from.
 */
export function environmentSelectors(
  facts: ModuleFacts,
): { name: string; fallback: ConfigFallback; lookup: SelectorLookup }[] {
  return facts.anchors(/^[ \t]*def[ \t]+(?<anchor>\w+)[ \t]*\(/m).flatMap((identifier) => {
    // Text inside a docstring or a comment that reads like a def is no function of the module.
    if (identifier.type !== 'identifier' || identifier.parent?.type !== 'function_definition') return [];
    const lookup = selectorLookup(facts, identifier.text);
    const fallback = lookup && !keyedByParameter(lookup) ? configFallback(facts, lookup.key) : undefined;
    return lookup && fallback ? [{ name: identifier.text, fallback, lookup }] : [];
  });
}
