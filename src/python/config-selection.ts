import { valueOnPath } from './branch-value.js';
import { classDebugState } from './config-classes.js';
import type { ImportedAppRef, ModuleFacts } from './module-facts.js';
import { localBinding } from './local-bindings.js';
import { enclosingScope, parameterDefaultValue, sameNode } from './nodes.js';
import { requiredField, type SyntaxNode } from './parser.js';
import { functionDefinition, keyedByParameter, selectorLookup } from './selector-function.js';
import { instanceClassName } from './settings-objects.js';
import { callParts, stringLiteralValue } from './syntax.js';

/** What a config reference selects: a class here (with its DEBUG state), one in another module, or unknown. */
export type Selected = {
  state: 'on' | 'off' | 'unknown';
  /** The selected class lives in another module of the project. */
  elsewhere?: ImportedAppRef;
  /** The map itself lives in another module: its entry for `key` decides. */
  elsewhereMap?: { ref: ImportedAppRef; key: string };
};

export function selectedClass(facts: ModuleFacts, node: SyntaxNode, hops = 0): Selected {
  if (hops > 3) return { state: 'unknown' };
  const text = stringLiteralValue(node);
  if (text !== undefined) return dottedPathSelected(text);
  if (node.type === 'identifier') {
    if (facts.classDefinition(node.text)) return { state: classDebugState(facts, node.text) };
    const instanceOf = instanceClassName(facts, node.text);
    if (instanceOf) return { state: classDebugState(facts, instanceOf) };
    const imported = facts.importedRef(node.text);
    return imported ? { state: 'unknown', elsewhere: imported } : { state: 'unknown' };
  }
  if (node.type === 'attribute') {
    // `config.DevelopmentConfig` after `import config` or `from . import config`.
    const object = node.childForFieldName('object');
    const name = node.childForFieldName('attribute')?.text;
    const binding = object?.type === 'identifier' ? facts.imports.get(object.text) : undefined;
    if (!binding || !name) return { state: 'unknown' };
    const module = binding.name === null ? binding.module : [binding.module, binding.name].filter(Boolean).join('.');
    return { state: 'unknown', elsewhere: { module, name, level: binding.level } };
  }
  if (node.type === 'call' && (callParts(node)?.positional.length ?? 1) === 0) {
    // `DevelopmentConfig()`: an instance reads its class's attributes, DEBUG included.
    const callee = node.childForFieldName('function');
    if (callee?.type === 'identifier' || callee?.type === 'attribute') return selectedClass(facts, callee, hops + 1);
  }
  if (node.type === 'subscript') {
    // `config_by_name["development"]` with the map in this module.
    const map = node.childForFieldName('value');
    const key = node.childForFieldName('subscript');
    const keyText = key ? stringLiteralValue(key) : undefined;
    return map && keyText !== undefined ? mapEntry(facts, map, keyText, hops) : { state: 'unknown' };
  }
  return { state: 'unknown' };
}

/**
 * What a dotted import path selects (`"config.DevelopmentConfig"`): from_object imports it as an
 * absolute path, so the class lives in another module; a name without a dot selects nothing we can follow.
 */
export function dottedPathSelected(text: string): Selected {
  const parts = text.split('.');
  const name = parts.at(-1);
  return parts.length > 1 && name
    ? { state: 'unknown', elsewhere: { module: parts.slice(0, -1).join('.'), name, level: 0 } }
    : { state: 'unknown' };
}

/** What `map[keyText]` selects, for a dictionary bound to a module-level name (or imported from one). */
export function mapEntry(facts: ModuleFacts, map: SyntaxNode, keyText: string, hops = 0): Selected {
  if (hops > 3) return { state: 'unknown' };
  const display =
    map.type === 'identifier' ? facts.constantNode(map.text) : map.type === 'dictionary' ? map : undefined;
  // `get_config` of `def get_config(name): return CONFIGS.get(name)`: called with keyText, that entry.
  const selector = !display && map.type === 'identifier' ? selectorLookup(facts, map.text) : undefined;
  if (selector && keyedByParameter(selector)) return mapEntry(facts, selector.map, keyText, hops + 1);
  if (!display && map.type === 'identifier') {
    // `from config import config_by_name`: the entry lives in that module.
    const imported = facts.importedRef(map.text);
    return imported ? { state: 'unknown', elsewhereMap: { ref: imported, key: keyText } } : { state: 'unknown' };
  }
  const pair =
    display?.type === 'dictionary'
      ? display.namedChildren.find(
          (entry) => entry.type === 'pair' && stringLiteralValue(requiredField(entry, 'key')) === keyText,
        )
      : undefined;
  // `dict(dev=DevelopmentConfig, prod=ProductionConfig)` names its keys as keyword arguments.
  const keyword =
    display?.type === 'call' && display.childForFieldName('function')?.text === 'dict'
      ? callParts(display)?.keywords.get(keyText)?.value
      : undefined;
  const value = pair?.childForFieldName('value') ?? keyword;
  return value ? selectedClass(facts, value, hops + 1) : { state: 'unknown' };
}

/**
 * What the factory `factoryName` of this module loads when called with `keyText`: its
 * `from_object(map[parameter])` entry for that key, or, for `from_object(parameter)`, the dotted
 * path itself (`create_app("config.DevelopmentConfig")`). Undefined when it selects no config that way.
 */
export function factorySelection(facts: ModuleFacts, factoryName: string, keyText: string): Selected | undefined {
  const definition = functionDefinition(facts, factoryName);
  const first = definition?.childForFieldName('parameters')?.namedChildren[0];
  const parameter = first?.type === 'identifier' ? first.text : first?.childForFieldName('name')?.text;
  if (!definition || !parameter) return undefined;
  for (const call of fromObjectCallsIn(facts, definition)) {
    const argument = callParts(call)?.positional[0];
    if (argument?.type === 'identifier' && argument.text === parameter && keyText.includes('.'))
      return dottedPathSelected(keyText);
    const map = argument?.type === 'subscript' ? argument.childForFieldName('value') : null;
    if (map && argument?.childForFieldName('subscript')?.text === parameter) return mapEntry(facts, map, keyText);
    // `from_object(get_config(config_name))`: the selector function's entry (here or in the module it comes from).
    const selector = argument?.type === 'call' ? callParts(argument) : undefined;
    if (selector?.callee.type === 'identifier' && selector.positional[0]?.text === parameter)
      return mapEntry(facts, selector.callee, keyText);
    // `config_class = DevelopmentConfig` in the branch that name takes, then `from_object(config_class)`.
    const chosen =
      argument?.type === 'identifier' ? valueOnPath(definition, argument.text, call, parameter, keyText) : undefined;
    if (chosen) return selectedClass(facts, chosen);
  }
  return undefined;
}

/** The from_object() calls in the body of `definition`, or of the function of this module named so. */
export function fromObjectCallsIn(facts: ModuleFacts, definition: SyntaxNode | string): SyntaxNode[] {
  const found = typeof definition === 'string' ? functionDefinition(facts, definition) : definition;
  const body = found?.childForFieldName('body');
  if (!body) return [];
  return facts
    .methodCalls('from_object')
    .filter((call) => call.startIndex >= body.startIndex && call.endIndex <= body.endIndex);
}

/**
 * `def create_app(config_class=DevelopmentConfig): app.config.from_object(config_class)`: the default
 * of the parameter a from_object() argument names, which every call without it loads; undefined when
 * the argument is no such parameter or the function binds it again before the call.
 */
export function loadedParameterDefault(facts: ModuleFacts, argument: SyntaxNode): SyntaxNode | undefined {
  if (argument.type !== 'identifier' || localBinding(facts, argument)) return undefined;
  return parameterDefaultValue(argument);
}

/** The from_object() argument that loads the parameter whose default is `value` (loadedParameterDefault reversed). */
export function parameterLoadedBy(facts: ModuleFacts, value: SyntaxNode): SyntaxNode | undefined {
  const parameter = value.parent;
  const definition = parameter?.parent?.parent;
  const name = parameter?.childForFieldName('name')?.text;
  const body = definition?.type === 'function_definition' ? definition.childForFieldName('body') : null;
  if (!body || name === undefined) return undefined;
  return facts
    .methodCalls('from_object')
    .filter((call) => call.startIndex >= body.startIndex && call.endIndex <= body.endIndex)
    .map((call) => callParts(call)?.positional[0])
    .find(
      (argument) =>
        argument?.type === 'identifier' && argument.text === name && sameNode(enclosingScope(argument), definition),
    );
}
