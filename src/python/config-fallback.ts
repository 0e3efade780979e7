import { localBinding } from './local-bindings.js';
import type { ModuleFacts } from './module-facts.js';
import { parameterDefaultValue } from './nodes.js';
import type { SyntaxNode } from './parser.js';
import { callParts, stringLiteralValue } from './syntax.js';
import { environmentRead } from './env-reads.js';

/** The config name a selector falls back to when nothing is set, and the literal that says it. */
export interface ConfigFallback {
  name: string;
  literal: SyntaxNode;
  /** Words for the message: `FLASK_CONFIG is unset`, `config_name is not given`. */
  when: string;
  /** The environment variable whose unset value this is, and that value as the read's default writes it. */
  read?: EnvironmentSelector;
}

/**
 * The environment variable a config is selected by, and its value when unset (the development one): a deploy
 * file that sets it to another value selects another config.
 */
export interface EnvironmentSelector {
  variable: string;
  unset: string;
}

const MAX_HOPS = 4;
// String methods a selector applies to a read, as Python computes them.
const STRING_METHODS: Readonly<Record<string, (text: string) => string>> = {
  lower: (text) => text.toLowerCase(),
  upper: (text) => text.toUpperCase(),
  strip: (text) => text.trim(),
  capitalize: (text) => text.charAt(0).toUpperCase() + text.slice(1).toLowerCase(),
  title: (text) =>
    text.toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_, before, letter) => before + letter.toUpperCase()),
};
const ENV_READERS = /^(?:os\.)?(?:environ\.get|getenv)$/;

/**
 * What the key of `config[key]` is when the environment sets nothing: the default of an
 * environment read (`os.getenv("FLASK_CONFIG", "development")`), the right side of
 * `os.getenv("FLASK_ENV") or "development"`, or a parameter's default (`def create_app(config_name="development")`),
 * followed through a name bound once in the module or in the function.
 */
export function configFallback(facts: ModuleFacts, key: SyntaxNode, hops = 0): ConfigFallback | undefined {
  if (hops > MAX_HOPS) return undefined;
  if (key.type === 'parenthesized_expression' && key.namedChildren[0])
    return configFallback(facts, key.namedChildren[0], hops + 1);
  if (key.type === 'call') {
    const parts = callParts(key);
    if (!parts) return undefined;
    const callee = parts.callee.text;
    // `.lower()` and friends change the fallback as they change the value.
    const method = parts.callee.type === 'attribute' ? parts.callee.childForFieldName('attribute')?.text : undefined;
    const transform =
      method !== undefined && Object.hasOwn(STRING_METHODS, method) ? STRING_METHODS[method] : undefined;
    if (transform) {
      const object = parts.callee.childForFieldName('object');
      const inner = object ? configFallback(facts, object, hops + 1) : undefined;
      return inner && { ...inner, name: transform(inner.name) };
    }
    // `"config.{}Config".format(env)`: the template with its one hole filled.
    const template = method === 'format' ? parts.callee.childForFieldName('object') : null;
    const templateText = template?.type === 'string' ? stringLiteralValue(template) : undefined;
    if (templateText !== undefined && parts.positional.length === 1 && parts.positional[0]) {
      const inner = configFallback(facts, parts.positional[0], hops + 1);
      const holes = templateText.split(/\{[^{}]*\}/);
      return inner && holes.length === 2 ? { ...inner, name: holes.join(inner.name) } : undefined;
    }
    if (!ENV_READERS.test(callee) && !facts.refersTo(parts.callee, new Set(['os.environ.get', 'os.getenv'])))
      return undefined;
    const variable = parts.positional[0] && stringLiteralValue(parts.positional[0]);
    const given = parts.keywords.get('default')?.value ?? parts.positional[1];
    // `os.environ.get("APP_CONFIG", DEV_CONFIG)` with `DEV_CONFIG = "config.Development"`: the constant's string.
    const fallback = given?.type === 'identifier' ? facts.constantNode(given.text) : given;
    const name = fallback && stringLiteralValue(fallback);
    return variable && fallback && name !== undefined
      ? { name, literal: fallback, when: `${variable} is unset`, read: { variable, unset: name } }
      : undefined;
  }
  if (key.type === 'boolean_operator' && key.childForFieldName('operator')?.text === 'or') {
    // `f"{os.getenv('FLASK_ENV')}" or "default"`, `str(...) or ...`: an unset variable formats as "None",
    // which is never empty, so the right side is not what an unset environment gets.
    if (formatsNone(key.childForFieldName('left'))) return undefined;
    const right = key.childForFieldName('right');
    const name = right ? stringLiteralValue(right) : undefined;
    const left = key.childForFieldName('left');
    const empty = `${left?.text ?? 'the variable'} is empty`;
    // `os.getenv("FLASK_ENV") or "development"`: FLASK_ENV selects, "development" when unset or empty.
    const variable = left ? environmentRead(facts, left)?.variable : undefined;
    if (right && name !== undefined)
      return { name, literal: right, when: empty, ...(variable ? { read: { variable, unset: name } } : {}) };
    // `name or os.environ.get("FLASK_ENV", "development")`: the right side's own fallback.
    const inner = right ? configFallback(facts, right, hops + 1) : undefined;
    return inner ? { ...inner, when: `${empty} and ${inner.when}` } : undefined;
  }
  if (key.type === 'string') return formattedFallback(facts, key, hops);
  if (key.type === 'binary_operator') return operatorFallback(facts, key, hops);
  if (key.type !== 'identifier') return undefined;
  const local = localBinding(facts, key);
  if (local) return configFallback(facts, local, hops + 1);
  const parameter = parameterDefault(key);
  if (parameter) return parameter;
  const bound = facts.constantNode(key.text);
  return bound ? configFallback(facts, bound, hops + 1) : undefined;
}

/** `f"config.{os.getenv('APP_ENV', 'Development')}Config"`: the text with its one hole's fallback filled in. */
function formattedFallback(facts: ModuleFacts, text: SyntaxNode, hops: number): ConfigFallback | undefined {
  const pieces = text.namedChildren.filter(
    (piece) => piece.type === 'string_content' || piece.type === 'interpolation',
  );
  if (pieces.filter((piece) => piece.type === 'interpolation').length !== 1) return undefined;
  let name = '';
  let hole: ConfigFallback | undefined;
  for (const piece of pieces) {
    const expression = piece.type === 'interpolation' ? piece.childForFieldName('expression') : null;
    hole = expression ? configFallback(facts, expression, hops + 1) : hole;
    if (piece.type === 'interpolation' && !hole) return undefined;
    name += piece.type === 'interpolation' ? (hole?.name ?? '') : piece.text;
  }
  return hole && { ...hole, name };
}

/** `def create_app(config_name="development")`: the default of the parameter `name` refers to. */
function parameterDefault(use: SyntaxNode): ConfigFallback | undefined {
  const value = parameterDefaultValue(use);
  const name = value ? stringLiteralValue(value) : undefined;
  return value && name !== undefined ? { name, literal: value, when: `${use.text} is not given` } : undefined;
}

/** An f-string or `str(...)` around a read: never empty when the variable is unset (it reads "None"). */
function formatsNone(left: SyntaxNode | null): boolean {
  if (!left) return false;
  if (left.type === 'string') return left.namedChildren.some((piece) => piece.type === 'interpolation');
  return left.type === 'call' && left.childForFieldName('function')?.text === 'str';
}

/**
 * `"webapp.config.%sConfig" % env.capitalize()` and `"config." + env + "Config"`: the text with the read's
 * fallback filled in, for one read among literal strings.
 */
function operatorFallback(facts: ModuleFacts, key: SyntaxNode, hops: number): ConfigFallback | undefined {
  const operator = key.childForFieldName('operator')?.text;
  const left = key.childForFieldName('left');
  const right = key.childForFieldName('right');
  if (!left || !right) return undefined;
  if (operator === '%') {
    const template = stringLiteralValue(left);
    const inner = configFallback(facts, right, hops + 1);
    const holes = template?.split('%s');
    return inner && holes?.length === 2 ? { ...inner, name: holes.join(inner.name) } : undefined;
  }
  if (operator !== '+') return undefined;
  const leftText = stringLiteralValue(left);
  const rightText = stringLiteralValue(right);
  if (leftText !== undefined && rightText === undefined) {
    const inner = configFallback(facts, right, hops + 1);
    return inner && { ...inner, name: leftText + inner.name };
  }
  if (rightText !== undefined && leftText === undefined) {
    const inner = configFallback(facts, left, hops + 1);
    return inner && { ...inner, name: inner.name + rightText };
  }
  return undefined;
}
