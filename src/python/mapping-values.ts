import type { SyntaxNode } from './parser.js';
import { escapeRegExp } from '../core/escape-regexp.js';
import { callParts, stringLiteralValue } from './syntax.js';

/** What a module constant must offer: the expression a module-level name is bound to once. */
interface MappingResolver {
  readonly source: string;
  constantNode(name: string): SyntaxNode | undefined;
}

/**
 * The value `DEFAULTS["DEBUG"]` or `DEFAULTS.get("DEBUG", True)` reads from a module-level dict literal
 * (`DEFAULTS = {"DEBUG": True}`): the entry's value; for `.get`, its default when the literal has no such key
 * (null for a `.get` without one: None). Undefined when `node` is no such read, or the dict cannot be relied on:
 * an unpacked `**other` that may hold the key, or a mutation anywhere in the module (`DEFAULTS["DEBUG"] = ...`).
 */
export function mappingEntryValue(facts: MappingResolver, node: SyntaxNode): SyntaxNode | null | undefined {
  const read = mappingRead(node);
  const found = read && mappingEntry(facts, read.name, read.key);
  if (!read || found === undefined) return undefined;
  return found ?? (read.fallback === undefined ? undefined : read.fallback);
}

/**
 * The value of `key` in the module-level dict literal bound to `name`; null when the literal has no such key;
 * undefined when `name` is no such literal or it cannot be relied on (an unpacked `**other`, a mutation).
 */
export function mappingEntry(facts: MappingResolver, name: string, key: string): SyntaxNode | null | undefined {
  const mapping = facts.constantNode(name);
  if (mapping?.type !== 'dictionary' || mutated(facts.source, name)) return undefined;
  let found: SyntaxNode | null = null;
  for (const entry of mapping.namedChildren) {
    if (entry.type === 'dictionary_splat') return undefined;
    const entryKey = entry.type === 'pair' ? entry.childForFieldName('key') : null;
    // The last entry of a repeated key wins, as in Python.
    if (entryKey && stringLiteralValue(entryKey) === key) found = entry.childForFieldName('value') ?? null;
  }
  return found;
}

/** `DEFAULTS["DEBUG"]`: the dict's name and the key, for a dict another module binds. */
export function subscriptRead(node: SyntaxNode): { name: string; key: string } | undefined {
  return node.type === 'subscript' ? mappingRead(node) : undefined;
}

/** `NAME["key"]` (no fallback: a missing key raises) or `NAME.get("key"[, default])`. */
function mappingRead(node: SyntaxNode): { name: string; key: string; fallback?: SyntaxNode | null } | undefined {
  if (node.type === 'subscript') {
    const object = node.childForFieldName('value');
    const subscript = node.childForFieldName('subscript');
    const key = subscript ? stringLiteralValue(subscript) : undefined;
    return object?.type === 'identifier' && key !== undefined ? { name: object.text, key } : undefined;
  }
  const parts = node.type === 'call' ? callParts(node) : undefined;
  if (parts?.callee.type !== 'attribute' || parts.callee.childForFieldName('attribute')?.text !== 'get')
    return undefined;
  const object = parts.callee.childForFieldName('object');
  const [keyNode, fallback] = parts.positional;
  const key = keyNode ? stringLiteralValue(keyNode) : undefined;
  if (object?.type !== 'identifier' || key === undefined || parts.keywords.size > 0 || parts.hasSplat) return undefined;
  return { name: object.text, key, fallback: fallback ?? null };
}

/** True when the module changes the dict after binding it: an item assignment, update(), setdefault(), pop(). */
function mutated(source: string, name: string): boolean {
  const escaped = escapeRegExp(name);
  return new RegExp(
    String.raw`\b${escaped}\s*(?:\[[^\]\n]*\]\s*(?:[-+|]?=)(?!=)|\.(?:update|setdefault|pop)\s*\()`,
  ).test(source);
}
