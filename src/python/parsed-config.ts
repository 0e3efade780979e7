import { dirname } from 'node:path';
import { settingInConfigFile } from './config-file-values.js';
import {
  configFileArgument,
  configFolder,
  isOn,
  loaderFormat,
  resolveConfigFile,
  type ConfigFileFormat,
} from './config-files.js';
import { boundValue } from './local-bindings.js';
import { enclosingScope, type ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';
import { callParts, dottedParts, stringLiteralValue, type CallParts } from './syntax.js';

/**
 * A committed file parsed by the app's own code (`yaml.safe_load(open("config.yaml"))`) whose mapping then goes
 * into app.config. `parameter` is set when the name comes from the enclosing function's parameter (a Config
 * subclass's `from_yaml(self, path)`), to be filled in from each call.
 */
export interface ParsedFile {
  name: string;
  base?: 'module' | 'instance' | 'root';
  format: ConfigFileFormat;
  /** Keys are upper-cased on the way (`{k.upper(): v ...}`, `config[k.upper()] = v`): `debug: true` counts. */
  upper: boolean;
  parameter?: string;
}

/** A statement that copies a parsed file's mapping into a config: `update(d)`, `from_mapping(d)`, a per-key loop. */
export interface ParsedFileCopy {
  /** The statement to report: the call, or the loop's assignment. */
  at: SyntaxNode;
  /** The config it copies into: `app.config`, or `self` in a Config subclass's method. */
  target: SyntaxNode;
  file: ParsedFile;
  /** In words: `app.config.update()`, `a loop over data.items()`. */
  how: string;
}

const MAX_HOPS = 8;

/** The committed file whose parsed mapping `node` holds, if any. */
export function parsedFile(facts: ModuleFacts, node: SyntaxNode, hops = 0): ParsedFile | undefined {
  if (hops > MAX_HOPS) return undefined;
  if (node.type === 'identifier') {
    const bound = boundValue(facts, node);
    return bound ? parsedFile(facts, bound, hops + 1) : undefined;
  }
  if (node.type === 'dictionary_comprehension') {
    // `{key.upper(): value for key, value in data.items()}`
    const clause = node.namedChildren.find((child) => child.type === 'for_in_clause');
    const source = itemsOf(clause?.childForFieldName('right'));
    const inner = source && parsedFile(facts, source, hops + 1);
    const key = node.childForFieldName('body')?.childForFieldName('key');
    return inner && { ...inner, upper: inner.upper || /\.upper\(\)$/.test(key?.text ?? '') };
  }
  if (node.type !== 'call') return undefined;
  const parts = callParts(node);
  if (!parts) return undefined;
  const format = loaderFormat(facts.qualifiedName(parts.callee) ?? parts.callee.text);
  if (format) {
    const stream = parts.positional[0] ?? parts.keywords.get('stream')?.value ?? parts.keywords.get('fp')?.value;
    const file = stream && openedFile(facts, stream, hops + 1);
    return file && { ...file, format, upper: false };
  }
  // `config = import_config()`: a function of this module that returns a parsed file.
  if (parts.callee.type !== 'identifier') return undefined;
  for (const returned of returnedValues(facts, parts.callee.text)) {
    const found = parsedFile(facts, returned, hops + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * A switch read from a parsed committed file (`cfg["debug"]`, `cfg["server"]["debug"]`, `cfg.get("debug")`
 * after `cfg = json.load(open("config.json"))`): whether the file's entry is on, in words for the message.
 */
export function parsedFileSwitch(
  facts: ModuleFacts,
  node: SyntaxNode,
  modulePath: string,
): { truthy: boolean; describe: string } | undefined {
  const keys: string[] = [];
  let at: SyntaxNode | null = node;
  for (let depth = 0; at && depth < 4; depth++) {
    const index: SyntaxNode | null = at.type === 'subscript' ? at.childForFieldName('subscript') : null;
    const parts: CallParts | undefined = at.type === 'call' ? callParts(at) : undefined;
    const getter = parts?.callee.type === 'attribute' && parts.callee.childForFieldName('attribute')?.text === 'get';
    const key = index
      ? stringLiteralValue(index)
      : getter && parts?.positional[0]
        ? stringLiteralValue(parts.positional[0])
        : undefined;
    if (key === undefined) break;
    keys.unshift(key);
    at = index ? at.childForFieldName('value') : (parts?.callee.childForFieldName('object') ?? null);
  }
  const file = keys.length > 0 && at ? parsedFile(facts, at) : undefined;
  if (!file || file.parameter !== undefined) return undefined;
  const folder = file.base ? configFolder(modulePath, facts.source, file.base).folder : dirname(modulePath);
  const resolved = resolveConfigFile(folder, file.name);
  const setting = resolved && settingInConfigFile(resolved, file.format, keys);
  if (!setting) return undefined;
  const note = typeof setting.value === 'string' && setting.value !== '' ? ', a non-empty string is true' : '';
  return {
    truthy: isOn(setting.value),
    describe: `${node.text} (${file.name} line ${setting.line}: ${setting.text}${note})`,
  };
}

/** The statements of this module that copy a parsed file into a config (Flask's, or `self` of a Config class). */
export function parsedFileCopies(facts: ModuleFacts): ParsedFileCopy[] {
  const copies: ParsedFileCopy[] = [];
  for (const call of [...facts.methodCalls('update'), ...facts.methodCalls('from_mapping')]) {
    const parts = callParts(call);
    const target = parts?.callee.type === 'attribute' ? parts.callee.childForFieldName('object') : null;
    // `update(data)`, `from_mapping(mapping=data)`, or `update(**data)`.
    const splat = call.childForFieldName('arguments')?.namedChildren.find((child) => child.type === 'dictionary_splat');
    const mapping = parts?.positional[0] ?? parts?.keywords.get('mapping')?.value ?? splat?.namedChildren[0];
    const file = mapping && parsedFile(facts, mapping);
    if (parts && target && file) copies.push({ at: call, target, file, how: `${parts.callee.text}()` });
  }
  for (const loop of facts.tree.rootNode.descendantsOfType('for_statement')) {
    const copy = loop && loopCopy(facts, loop);
    if (copy) copies.push(copy);
  }
  return copies;
}

/** `for key, value in data.items(): app.config[key] = value` (or `[key.upper()]`). */
function loopCopy(facts: ModuleFacts, loop: SyntaxNode): ParsedFileCopy | undefined {
  const names = loop.childForFieldName('left')?.namedChildren.map((name) => name.text) ?? [];
  const source = itemsOf(loop.childForFieldName('right'));
  const [key, value] = names;
  if (names.length !== 2 || !source || !key || !value) return undefined;
  for (const assignment of loop.childForFieldName('body')?.descendantsOfType('assignment') ?? []) {
    const left = assignment?.childForFieldName('left');
    const target = left?.type === 'subscript' ? left.childForFieldName('value') : null;
    const index = left?.childForFieldName('subscript')?.text;
    const upper = index === `${key}.upper()`;
    if (!target || assignment?.childForFieldName('right')?.text !== value || (index !== key && !upper)) continue;
    const file = parsedFile(facts, source);
    const statement = assignment?.parent ?? assignment;
    if (file && statement)
      return {
        at: statement,
        target,
        file: { ...file, upper: file.upper || upper },
        how: `a loop over ${source.text}.items()`,
      };
  }
  return undefined;
}

/** `data` of `data.items()`. */
function itemsOf(node: SyntaxNode | null | undefined): SyntaxNode | undefined {
  const callee = node?.type === 'call' ? node.childForFieldName('function') : null;
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'items') return undefined;
  return callee.childForFieldName('object') ?? undefined;
}

/**
 * The file a stream or path names: `open("config.yaml")`, a name bound by `with open(...) as f`, a path string
 * (`toml.load("config.toml")`), or `os.path.join(here, path)` where `path` is the function's parameter.
 */
function openedFile(
  facts: ModuleFacts,
  node: SyntaxNode,
  hops: number,
): Omit<ParsedFile, 'format' | 'upper'> | undefined {
  if (hops > MAX_HOPS) return undefined;
  const literal = fileName(facts, node);
  if (literal) return literal;
  if (node.type === 'call') {
    const parts = callParts(node);
    const callee = parts && dottedParts(parts.callee)?.join('.');
    const first = parts?.positional[0] ?? parts?.keywords.get('file')?.value;
    return (callee === 'open' || callee === 'io.open' || callee === 'codecs.open') && first
      ? fileName(facts, first)
      : undefined;
  }
  if (node.type !== 'identifier') return undefined;
  const opened = withTarget(node);
  if (opened) return openedFile(facts, opened, hops + 1);
  const bound = boundValue(facts, node);
  return bound ? openedFile(facts, bound, hops + 1) : undefined;
}

/** A file name: a literal, `os.path.join(<folder>, "name")`, or a parameter of the function around it. */
function fileName(facts: ModuleFacts, node: SyntaxNode): Omit<ParsedFile, 'format' | 'upper'> | undefined {
  if (stringLiteralValue(node) !== undefined) return configFileArgument(node);
  if (node.type === 'identifier' && isParameter(node)) return { name: '', parameter: node.text };
  const parts = node.type === 'call' ? callParts(node) : undefined;
  const callee = parts && dottedParts(parts.callee)?.join('.');
  const [folder, last] = parts?.positional ?? [];
  if ((callee !== 'os.path.join' && callee !== 'path.join') || parts?.positional.length !== 2 || !folder || !last)
    return configFileArgument(node);
  // `here = os.path.dirname(os.path.abspath(__file__))`, then `os.path.join(here, path)`.
  const folderValue = folder.type === 'identifier' ? boundValue(facts, folder) : folder;
  const base = /__file__/.test(folderValue?.text ?? '') ? 'module' : undefined;
  if (last.type === 'identifier' && isParameter(last) && base) return { name: '', base, parameter: last.text };
  const name = stringLiteralValue(last);
  return name && base ? { name, base } : configFileArgument(node);
}

function isParameter(name: SyntaxNode): boolean {
  const scope = enclosingScope(name);
  const parameters = scope?.type === 'function_definition' ? scope.childForFieldName('parameters') : null;
  return (parameters?.namedChildren ?? []).some(
    (parameter) =>
      (parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name'))?.text === name.text,
  );
}

/** The value of `with <value> as <name>:` around `name`'s use. */
function withTarget(name: SyntaxNode): SyntaxNode | undefined {
  for (let at = name.parent; at && at.type !== 'function_definition' && at.type !== 'module'; at = at.parent) {
    if (at.type !== 'with_statement') continue;
    for (const item of at.descendantsOfType('as_pattern')) {
      const alias = item?.childForFieldName('alias');
      if (alias?.text === name.text) return item?.namedChildren[0] ?? undefined;
    }
  }
  return undefined;
}

/** The values a module-level function of this name returns (not those of functions nested in it). */
function returnedValues(facts: ModuleFacts, name: string): SyntaxNode[] {
  const definitions = facts
    .anchors(new RegExp(`^def[ \\t]+(?<anchor>${name})\\s*\\(`, 'm'))
    .map((identifier) => identifier.parent)
    .filter((definition) => definition?.type === 'function_definition');
  return definitions.flatMap((definition) =>
    (definition?.childForFieldName('body')?.descendantsOfType('return_statement') ?? []).flatMap((statement) => {
      const value = statement?.namedChildren[0];
      return value && enclosingScope(value)?.startIndex === definition?.startIndex ? [value] : [];
    }),
  );
}
