import type { TextEdit } from '../core/findings.js';
import type { SyntaxNode } from './parser.js';
import { boundValue } from './local-bindings.js';
import type { ModuleFacts } from './module-facts.js';
import {
  callParts,
  literalTruthiness,
  literalValue,
  stringLiteralValue,
  onlyArgumentOf,
  stringsOf,
  type CallParts,
  type LiteralValue,
  applyStringTransforms,
} from './syntax.js';

/**
 * An environment read whose value, with the variable unset, turns debug on:
 * `os.environ.get("DEBUG", True)`, `os.getenv("FLASK_DEBUG", "1") == "1"`,
 * `env.bool("DEBUG", True)` (environs, django-environ), `config("DEBUG", default=True,
 * cast=bool)` (python-decouple). Set, the variable still decides; unset, the app is in debug mode.
 */
export interface DefaultOnRead {
  /** The variable read, e.g. `DEBUG`. */
  variable: string;
  /**
   * The edit that makes the unset case off, everything else unchanged; absent when no rewrite keeps
   * the variable's meaning (`False if os.environ["APP_ENV"] == "production" else True`).
   */
  flip?: TextEdit;
  /** A value of the variable that still turns debug on, for the developer's note. */
  onValue: string;
  /** Set for a read that yields the variable's string (its fix reads it strictly instead). */
  stringValued?: boolean;
  /** When it is on, for a read that is on for more than the unset case: `on unless DEBUG is exactly "False"`. */
  onWhen?: string;
}

// Off for 0/false/no/off and empty, on only for 1/true/yes/on: what every rewritten read means.
const STRICT_WORDS = '("1", "true", "yes", "on")';

const OS_READS = new Set(['os.environ.get', 'os.getenv']);
/** `os.environ` itself: `os.environ["DEBUG"]`, `"DEBUG" in os.environ`. */
export const ENVIRON: ReadonlySet<string> = new Set(['os.environ']);
const DECOUPLE_CONFIG = new Set(['decouple.config']);
const ENV_CLASSES = new Set(['environs.Env', 'environ.Env']);
// python-decouple's and distutils' strtobool readings of a string.
const BOOLEAN_TRUE_WORDS = /^(?:1|y|yes|t|true|on)$/i;
const BOOLEAN_FALSE_WORDS = /^(?:0|n|no|f|false|off|)$/i;
const STRING_TRANSFORMS = new Set(['lower', 'upper', 'strip', 'casefold', 'lstrip', 'rstrip']);
const STRTOBOOL = new Set(['distutils.util.strtobool', 'strtobool']);

/** What the read yields when the variable is unset, and how to change that default. */
interface UnsetValue {
  variable: string;
  /** The default as Python sees it; `none` when the call has no default. */
  value: LiteralValue;
  /** The default's node, or where a default argument would be inserted. */
  defaultNode?: SyntaxNode;
  insertAfter: SyntaxNode;
  /** decouple/environs/strtobool read a string default as a boolean word. */
  booleanWords: boolean;
  /** `.lower()` and friends applied to the read. */
  transforms: string[];
}

/**
 * `os.environ.get(...)` and the other reads, with `.lower()`-style calls on them; with `followNames`,
 * also a name bound once to one (`ENV = os.getenv("FLASK_ENV", "development")` then `ENV == "development"`).
 */
function unsetValue(facts: ModuleFacts, node: SyntaxNode, followNames = false): UnsetValue | undefined {
  if (node.type === 'parenthesized_expression' && node.namedChildren[0])
    return unsetValue(facts, node.namedChildren[0], followNames);
  if (node.type === 'identifier' && followNames) {
    const bound = boundValue(facts, node);
    return bound ? unsetValue(facts, bound) : undefined;
  }
  if (node.type !== 'call') return undefined;
  const parts = callParts(node);
  if (!parts) return undefined;
  const callee = parts.callee;
  if (callee.type === 'attribute') {
    const method = callee.childForFieldName('attribute')?.text ?? '';
    const object = callee.childForFieldName('object');
    if (object && STRING_TRANSFORMS.has(method) && parts.positional.length === 0) {
      const inner = unsetValue(facts, object, followNames);
      return inner ? { ...inner, transforms: [...inner.transforms, method] } : undefined;
    }
    if (object && method === 'bool' && isEnvReader(facts, object)) return readDefault(parts, true);
    // environs' and django-environ's `env.str("FLASK_ENV", default="development")` yields the string.
    if (object && method === 'str' && isEnvReader(facts, object)) return readDefault(parts, false);
  }
  if (facts.refersTo(callee, OS_READS)) return readDefault(parts, false);
  if (facts.refersTo(callee, DECOUPLE_CONFIG)) {
    const cast = parts.keywords.get('cast')?.value;
    return readDefault(parts, cast?.text === 'bool');
  }
  if ((callee.type === 'identifier' && STRTOBOOL.has(callee.text)) || facts.refersTo(callee, STRTOBOOL)) {
    const inner = parts.positional[0] && unsetValue(facts, parts.positional[0]);
    return inner ? { ...inner, booleanWords: true } : undefined;
  }
  return undefined;
}

/** `env` in `env.bool(...)`: a name bound to `Env()` from environs or django-environ (or called `env`). */
function isEnvReader(facts: ModuleFacts, object: SyntaxNode): boolean {
  if (object.type !== 'identifier') return false;
  return object.text === 'env' || constructedFrom(facts, object.text, ENV_CLASSES);
}

function readDefault(parts: CallParts, booleanWords: boolean): UnsetValue | undefined {
  // `os.getenv(key="DEBUG", default="1")` names both by keyword.
  const nameNode = parts.positional[0] ?? parts.keywords.get('key')?.value;
  const variable = nameNode && stringLiteralValue(nameNode);
  if (!nameNode || variable === undefined || parts.hasSplat) return undefined;
  const byKeyword = parts.keywords.get('default');
  const defaultNode = byKeyword?.value ?? parts.positional[1];
  const value: LiteralValue = defaultNode ? literalValue(defaultNode) : { kind: 'none' };
  if (value.kind === 'unknown') return undefined;
  return { variable, value, defaultNode, insertAfter: nameNode, booleanWords, transforms: [] };
}

/**
 * The variable an environment read names and the string methods applied to what it returns
 * (`os.getenv("DEBUG", "").lower()`: DEBUG, ['lower']); undefined for anything else.
 */
export function environmentRead(
  facts: ModuleFacts,
  node: SyntaxNode,
): { variable: string; transforms: string[]; booleanWords: boolean } | undefined {
  const read = unsetValue(facts, node);
  return read ? { variable: read.variable, transforms: read.transforms, booleanWords: read.booleanWords } : undefined;
}

/** The value the read produces when unset: a string after its transforms, or the literal. */
function producedValue(read: UnsetValue): LiteralValue {
  if (read.value.kind !== 'string') return read.value;
  return { kind: 'string', value: applyStringTransforms(read.value.value, read.transforms) };
}

/** Truthiness of the unset value as the reader sees it (a boolean word, or Python's bool()). */
function unsetTruthiness(read: UnsetValue): boolean | undefined {
  const produced = producedValue(read);
  if (read.booleanWords && produced.kind === 'string') {
    if (BOOLEAN_TRUE_WORDS.test(produced.value)) return true;
    if (BOOLEAN_FALSE_WORDS.test(produced.value)) return false;
    return undefined;
  }
  return literalTruthiness(produced);
}

/** The replacement default, written in the file's quote style when the old default was a string. */
function defaultEdit(read: UnsetValue, replacement: string): TextEdit {
  if (read.defaultNode) return { start: read.defaultNode.startIndex, end: read.defaultNode.endIndex, replacement };
  const at = read.insertAfter.endIndex;
  return { start: at, end: at, replacement: `, ${replacement}` };
}

function quoted(read: UnsetValue, text: string): string {
  const quote =
    read.defaultNode?.text.match(/^[a-zA-Z]*(['"])/)?.[1] ??
    read.insertAfter.text.match(/^[a-zA-Z]*(['"])/)?.[1] ??
    '"';
  return `${quote}${text}${quote}`;
}

/** An off default of the same type: False for a bool, 0 for a number, "" or an off word for a string. */
function offDefault(read: UnsetValue): string {
  if (read.value.kind === 'bool' || read.value.kind === 'none') return 'False';
  if (read.value.kind === 'number') return '0';
  if (read.booleanWords && read.value.kind === 'string') {
    const word = OFF_WORD[read.value.value.toLowerCase()] ?? 'false';
    return quoted(read, /^[A-Z]/.test(read.value.value) ? word.charAt(0).toUpperCase() + word.slice(1) : word);
  }
  return quoted(read, '');
}

// A boolean word's opposite, so `default="yes"` becomes `default="no"`, not a word of another family.
const OFF_WORD: Record<string, string> = { '1': '0', y: 'n', yes: 'no', t: 'f', true: 'false', on: 'off' };

// Off values to try as a new default, most natural first; environment names become production.
const OFF_CANDIDATES = ['0', 'false', 'False', 'no', 'off', ''];
// Compared with words (`== "true"`), an off word reads better than "0".
const WORD_CANDIDATES = ['false', 'no', 'off', '0', ''];
export const ENVIRONMENT_NAMES = /^(?:dev|development|local|debug)$/i;

/** `read == "1"`, `read in ("1", "true")`, `read != "0"` and the mirrored forms. */
function comparisonRead(facts: ModuleFacts, node: SyntaxNode): DefaultOnRead | undefined {
  const operands = node.namedChildren.filter((child) => child.type !== 'comment');
  const operators = node.childrenForFieldName('operators').map((operator) => operator.text.replace(/\s+/g, ' '));
  const [left, right] = operands;
  const [operator] = operators;
  if (operands.length !== 2 || operators.length !== 1 || !left || !right || operator === undefined) return undefined;
  let read = unsetValue(facts, left, true);
  let other = right;
  if (!read && (operator === '==' || operator === '!=')) {
    read = unsetValue(facts, right, true);
    other = left;
  }
  const compared = stringsOf(other);
  if (!read || !compared || !['==', '!=', 'in', 'not in'].includes(operator)) return undefined;
  if ((operator === '==' || operator === '!=') && compared.length !== 1) return undefined;
  const produced = producedValue(read);
  const matches = produced.kind === 'string' && compared.includes(produced.value);
  const positive = operator === '==' || operator === 'in';
  const [first] = compared;
  if (matches !== positive || first === undefined) return undefined;
  if (!positive) return { variable: read.variable, flip: defaultEdit(read, quoted(read, first)), onValue: '1' };
  const transform = (text: string) => producedValue({ ...read, value: { kind: 'string', value: text } });
  const candidates = compared.some((text) => ENVIRONMENT_NAMES.test(text))
    ? ['production', ...OFF_CANDIDATES]
    : compared.some((text) => /^[A-Z][a-z]+$/.test(text))
      ? WORD_CANDIDATES.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      : compared.some((text) => /^[a-z]+$/i.test(text))
        ? WORD_CANDIDATES
        : OFF_CANDIDATES;
  const off = candidates.find((text) => {
    const value = transform(text);
    return value.kind === 'string' && !compared.includes(value.value);
  });
  return off === undefined
    ? undefined
    : { variable: read.variable, flip: defaultEdit(read, quoted(read, off)), onValue: first };
}

/**
 * The variable and its unset value when `node` is a plain read (`os.getenv("APP_ENV", "debug")`,
 * with `.lower()`-style calls): what a comparison against it sees while the environment is unset.
 */
export function unsetString(facts: ModuleFacts, node: SyntaxNode): { variable: string; value: string } | undefined {
  const read = unsetValue(facts, node);
  const produced = read && producedValue(read);
  return read && produced?.kind === 'string' ? { variable: read.variable, value: produced.value } : undefined;
}

/**
 * The environment read `node` is, when the variable unset means on; undefined for
 * anything else (a read whose default is off, a value that is not a read).
 */
export function defaultOnRead(facts: ModuleFacts, node: SyntaxNode): DefaultOnRead | undefined {
  if (node.type === 'parenthesized_expression' && node.namedChildren[0])
    return defaultOnRead(facts, node.namedChildren[0]);
  if (node.type === 'comparison_operator') return comparisonRead(facts, node);
  if (node.type === 'conditional_expression') return conditionalRead(facts, node);
  if (node.type === 'call') {
    const parts = callParts(node);
    const wrapper = parts?.callee.type === 'identifier' ? parts.callee.text : undefined;
    // `int(os.getenv("DEBUG", "1"))` and `bool(...)` read the default through a conversion.
    const [argument] = parts?.positional ?? [];
    if (
      parts &&
      (wrapper === 'int' || wrapper === 'bool') &&
      parts.positional.length === 1 &&
      argument &&
      !facts.imports.has(wrapper)
    ) {
      const read = unsetValue(facts, argument);
      // `bool(int(os.getenv("DEBUG", "1")))`, `int(os.getenv(...) == "1")`: the conversion keeps an on value on.
      if (!read) return defaultOnRead(facts, argument);
      const produced = producedValue(read);
      const on =
        wrapper === 'int'
          ? produced.kind !== 'none' &&
            Number(produced.kind === 'string' ? produced.value : literalTruthiness(produced) ? 1 : 0) !== 0
          : unsetTruthiness(read);
      if (!on) return undefined;
      // `bool(os.getenv("DEBUG", "1"))`: read strictly, or DEBUG=false would still be on once the default is off.
      if (wrapper === 'bool' && !read.booleanWords)
        return {
          variable: read.variable,
          flip: strictReadEdit(node, read, argument),
          onValue: '1',
          stringValued: true,
        };
      const replacement =
        read.value.kind === 'string' ? quoted(read, wrapper === 'int' ? '0' : '') : wrapper === 'int' ? '0' : 'False';
      return { variable: read.variable, flip: defaultEdit(read, replacement), onValue: '1' };
    }
  }
  const read = unsetValue(facts, node);
  if (!read || unsetTruthiness(read) !== true) return undefined;
  // A plain read yields the variable's string, and `DEBUG=false` is a non-empty string: read it strictly.
  if (!read.booleanWords)
    return { variable: read.variable, flip: strictReadEdit(node, read), onValue: '1', stringValued: true };
  return {
    variable: read.variable,
    flip: defaultEdit(read, offDefault(read)),
    onValue: read.booleanWords ? 'true' : '1',
  };
}

/**
 * A plain read whose default is off but whose value, once set, is a string: `DEBUG=false`
 * or `DEBUG=0` still turns debug mode on (`bool("false")` is True). What a default flip left.
 */
export function stringValuedRead(facts: ModuleFacts, node: SyntaxNode): DefaultOnRead | undefined {
  // `bool(os.getenv("DEBUG"))` is the string's truthiness: the same read, the whole call rewritten.
  const inner = facts.imports.has('bool') ? undefined : onlyArgumentOf(node, 'bool');
  const read = unsetValue(facts, inner ?? node);
  if (!read || read.booleanWords || read.transforms.length > 0 || unsetTruthiness(read) !== false) return undefined;
  return { variable: read.variable, flip: strictReadEdit(node, read, inner), onValue: '1', stringValued: true };
}

/** `os.environ.get("DEBUG", True)` -> `os.environ.get("DEBUG", "").strip().lower() in ("1", "true", "yes", "on")`. */
function strictReadEdit(node: SyntaxNode, read: UnsetValue, readNode: SyntaxNode = node): TextEdit {
  const call = readNode.type === 'parenthesized_expression' ? (readNode.namedChildren[0] ?? readNode) : readNode;
  let reader = call;
  // Drop `.lower()`-style calls: the strict form applies its own.
  while (reader.type === 'call' && !reader.childForFieldName('function')?.text.match(/(?:environ\.get|getenv)$/)) {
    const object = reader.childForFieldName('function')?.childForFieldName('object');
    if (!object) break;
    reader = object;
  }
  const callee = reader.type === 'call' ? reader.childForFieldName('function')?.text : undefined;
  const replacement =
    `${callee ?? 'os.environ.get'}(${read.insertAfter.text}, ${quoted(read, '')})` +
    `.strip().lower() in ${STRICT_WORDS}`;
  return { start: node.startIndex, end: node.endIndex, replacement };
}

/**
 * `False if os.environ["DEBUG"] == "False" else True`: a conditional between the two booleans on a
 * comparison of an environment read with exact strings. On for every value but those strings
 * (`false`, `0`, a typo) is fail-open, whatever the default; on only for them is a finding only
 * when the unset value is one. Either way the fix is the strict read.
 */
function conditionalRead(facts: ModuleFacts, node: SyntaxNode): DefaultOnRead | undefined {
  const [whenTrue, condition, whenFalse] = node.namedChildren.filter((child) => child.type !== 'comment');
  const onIfTrue = whenTrue && literalTruthiness(literalValue(whenTrue));
  const onIfFalse = whenFalse && literalTruthiness(literalValue(whenFalse));
  if (condition?.type !== 'comparison_operator' || onIfTrue === undefined || onIfTrue === onIfFalse) return undefined;
  const operands = condition.namedChildren.filter((child) => child.type !== 'comment');
  const [operator, ...more] = condition.childrenForFieldName('operators').map((op) => op.text.replace(/\s+/g, ' '));
  const [left, right] = operands;
  if (operands.length !== 2 || more.length > 0 || !left || !right || operator === undefined) return undefined;
  let read = osRead(facts, left);
  let compared = stringsOf(right);
  if (!read && (operator === '==' || operator === '!=')) {
    read = osRead(facts, right);
    compared = stringsOf(left);
  }
  if (!read || !compared || !['==', '!=', 'in', 'not in'].includes(operator)) return undefined;
  const positive = operator === '==' || operator === 'in';
  const onWhenMatched = positive ? onIfTrue : !onIfTrue;
  if (onWhenMatched) {
    // On only for the exact strings: a finding when the unset value is one of them (flip that default).
    const produced = producedValue(read);
    if (produced.kind !== 'string' || !compared.includes(produced.value)) return undefined;
    const flip = positive ? comparisonRead(facts, condition)?.flip : undefined;
    return { variable: read.variable, onValue: compared[0] ?? '1', ...(flip ? { flip } : {}) };
  }
  // Off only for the exact strings: fail-open. When they are the off words of a switch (`"False"`), the
  // strict read keeps its meaning; for other strings (`"production"`, or `"1"` of a NO_DEBUG) none does.
  const offWords = compared.every((text) => BOOLEAN_FALSE_WORDS.test(text.trim()));
  const replacement =
    `${read.readerText}(${read.insertAfter.text}, ${quoted(read, '')})` + `.strip().lower() in ${STRICT_WORDS}`;
  const offChoices = compared.map((text) => JSON.stringify(text)).join(' or ');
  return {
    variable: read.variable,
    onValue: '1',
    stringValued: true,
    onWhen: `on unless ${read.variable} is exactly ${offChoices}: fail-open`,
    ...(offWords ? { flip: { start: node.startIndex, end: node.endIndex, replacement } } : {}),
  };
}

/**
 * `os.environ.get("X")`/`os.getenv("X", "d")` (with `.lower()`-style
 * calls) or `os.environ["X"]`, and the reader's name.
 */
function osRead(facts: ModuleFacts, node: SyntaxNode): (UnsetValue & { readerText: string }) | undefined {
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return osRead(facts, node.namedChildren[0]);
  if (node.type === 'subscript') {
    const object = node.childForFieldName('value');
    const key = node.childForFieldName('subscript');
    const variable = key ? stringLiteralValue(key) : undefined;
    if (!object || !key || variable === undefined || !facts.refersTo(object, ENVIRON)) return undefined;
    const value: LiteralValue = { kind: 'none' };
    return { variable, value, insertAfter: key, booleanWords: false, transforms: [], readerText: `${object.text}.get` };
  }
  let call = node;
  while (call.type === 'call' && call.childForFieldName('function')?.type === 'attribute') {
    const callee = call.childForFieldName('function');
    if (callee && facts.refersTo(callee, OS_READS)) break;
    const object = callee?.childForFieldName('object');
    if (!object) return undefined;
    call = object;
  }
  const callee = call.type === 'call' ? call.childForFieldName('function') : null;
  if (!callee || !facts.refersTo(callee, OS_READS)) return undefined;
  const read = unsetValue(facts, node);
  return read && !read.booleanWords ? { ...read, readerText: callee.text } : undefined;
}

/** True when the module-level `name` is bound to a call of one of `classes` (qualified names), e.g. `env = Env()`. */
function constructedFrom(facts: ModuleFacts, name: string, classes: ReadonlySet<string>): boolean {
  const value = facts.constantNode(name);
  const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
  return callee !== null && callee !== undefined && facts.refersTo(callee, classes);
}
