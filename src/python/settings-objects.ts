import type { SyntaxNode } from './parser.js';
import type { ModuleFacts } from './module-facts.js';

/** `NAME = value` (or `NAME: T = value`) directly in a class body. */
export interface ClassAttribute {
  className: string;
  statement: SyntaxNode;
  value: SyntaxNode;
}

export const MAX_BASES = 8;

/** The class a module-level name holds an instance of: `settings = Settings()` gives `Settings`. */
export function instanceClassName(facts: ModuleFacts, name: string): string | undefined {
  const value = facts.constantNode(name);
  const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
  if (callee?.type !== 'identifier' || !facts.classDefinition(callee.text)) return undefined;
  return callee.text;
}

/** The assignment of `attribute` in the body of the module's class `className`, or of an in-module base it inherits. */
export function classAttribute(
  facts: ModuleFacts,
  className: string,
  attribute: string,
  depth = 0,
): ClassAttribute | undefined {
  const definition = facts.classDefinition(className);
  const body = definition?.childForFieldName('body');
  if (!definition || !body || depth > MAX_BASES) return undefined;
  let found: ClassAttribute | undefined;
  for (const statement of body.namedChildren) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const value = assignment?.childForFieldName('right');
    // The last binding in the body wins, as when Python runs it.
    if (left?.type === 'identifier' && left.text === attribute && value) found = { className, statement, value };
  }
  if (found) return found;
  for (const base of definition.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (base.type !== 'identifier') continue;
    const inherited = classAttribute(facts, base.text, attribute, depth + 1);
    if (inherited) return inherited;
  }
  return undefined;
}

/**
 * For `settings.DEBUG` (an instance made in this module) or `Settings.DEBUG` (the class):
 * where the attribute's value is written.
 */
export function settingsAttribute(facts: ModuleFacts, node: SyntaxNode): ClassAttribute | undefined {
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  if (object?.type !== 'identifier' || !attribute) return undefined;
  const className = facts.classDefinition(object.text) ? object.text : instanceClassName(facts, object.text);
  return className ? classAttribute(facts, className, attribute.text) : undefined;
}

/** True when `node` is an identifier naming the module-level class `className` or an instance of it. */
export function namesClassOrInstance(facts: ModuleFacts, node: SyntaxNode, className: string): boolean {
  if (node.type !== 'identifier') return false;
  return node.text === className || instanceClassName(facts, node.text) === className;
}
