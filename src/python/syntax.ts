import type { SyntaxNode } from './parser.js';

/** A literal's value as Python sees it, or `unknown` when it is computed at run time. */
export type LiteralValue =
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'none' }
  | { kind: 'unknown' };

const UNKNOWN: LiteralValue = { kind: 'unknown' };

/** The text of a plain string literal (no f-string parts), without quotes or prefix. */
export function stringLiteralValue(node: SyntaxNode): string | undefined {
  if (node.type === 'concatenated_string') {
    const parts = node.namedChildren.map(stringLiteralValue);
    return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
  }
  if (node.type !== 'string') return undefined;
  let value = '';
  for (const child of node.namedChildren) {
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content' || child.type === 'escape_sequence') value += child.text;
  }
  return value;
}

export function literalValue(node: SyntaxNode): LiteralValue {
  switch (node.type) {
    case 'true':
      return { kind: 'bool', value: true };
    case 'false':
      return { kind: 'bool', value: false };
    case 'none':
      return { kind: 'none' };
    case 'integer':
    case 'float': {
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isNaN(value) ? UNKNOWN : { kind: 'number', value };
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? literalValue(inner) : UNKNOWN;
    }
    case 'string':
    case 'concatenated_string': {
      const value = stringLiteralValue(node);
      return value === undefined ? UNKNOWN : { kind: 'string', value };
    }
    default:
      return UNKNOWN;
  }
}

/** Python's bool() of a literal: undefined when the value is not a literal. */
export function literalTruthiness(value: LiteralValue): boolean | undefined {
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'number':
      return value.value !== 0;
    case 'string':
      return value.value.length > 0;
    case 'none':
      return false;
    default:
      return undefined;
  }
}

/** `a.b.c` as ['a', 'b', 'c'] for identifiers and attribute chains; undefined for anything else. */
export function dottedParts(node: SyntaxNode): string[] | undefined {
  if (node.type === 'identifier') return [node.text];
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    if (!object || !attribute) return undefined;
    const head = dottedParts(object);
    return head ? [...head, attribute.text] : undefined;
  }
  return undefined;
}

export interface CallParts {
  callee: SyntaxNode;
  positional: SyntaxNode[];
  keywords: Map<string, { keyword: SyntaxNode; value: SyntaxNode }>;
  /** `*args` or `**kwargs` hide what is passed, so positions after them are unknown. */
  hasSplat: boolean;
}

export function callParts(call: SyntaxNode): CallParts | undefined {
  const callee = call.childForFieldName('function');
  const argumentList = call.childForFieldName('arguments');
  if (!callee || !argumentList || argumentList.type !== 'argument_list') return undefined;
  const positional: SyntaxNode[] = [];
  const keywords: CallParts['keywords'] = new Map();
  let hasSplat = false;
  for (const argument of argumentList.namedChildren) {
    if (argument.type === 'comment') continue;
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name');
      const value = argument.childForFieldName('value');
      if (name && value) keywords.set(name.text, { keyword: argument, value });
    } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
      hasSplat = true;
    } else {
      positional.push(argument);
    }
  }
  return { callee, positional, keywords, hasSplat };
}

/** The argument at `index` (0-based) or given by `keyword`, whichever the call uses. */
export function argumentValue(parts: CallParts, keyword: string, index?: number): SyntaxNode | undefined {
  const byKeyword = parts.keywords.get(keyword);
  if (byKeyword) return byKeyword.value;
  if (index !== undefined && !parts.hasSplat) return parts.positional[index];
  return undefined;
}

/** `text` after the string methods a read applies (`.lower()`, `.strip()`...), as Python would give it. */
export function applyStringTransforms(text: string, transforms: readonly string[]): string {
  let result = text;
  for (const transform of transforms) {
    if (transform === 'lower' || transform === 'casefold') result = result.toLowerCase();
    else if (transform === 'upper') result = result.toUpperCase();
    else if (transform === 'lstrip') result = result.trimStart();
    else if (transform === 'rstrip') result = result.trimEnd();
    else result = result.trim();
  }
  return result;
}

/** A string literal, or a tuple/list/set of them: what a comparison compares against. */
export function stringsOf(node: SyntaxNode): string[] | undefined {
  const single = stringLiteralValue(node);
  if (single !== undefined) return [single];
  if (node.type !== 'tuple' && node.type !== 'list' && node.type !== 'set') return undefined;
  const values = node.namedChildren.filter((child) => child.type !== 'comment').map(stringLiteralValue);
  return values.every((value) => value !== undefined) ? (values as string[]) : undefined;
}

/** The one positional argument of a call of `callee` by that name (`bool(x)`: x), else undefined. */
export function onlyArgumentOf(node: SyntaxNode, callee: string): SyntaxNode | undefined {
  const parts = node.type === 'call' ? callParts(node) : undefined;
  return parts?.callee.text === callee && parts.positional.length === 1 ? parts.positional[0] : undefined;
}
