import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { yamlLibrary } from '../files/yaml-library.js';
import { switchValue } from './flask-patterns.js';
import { ModuleFacts } from './module-facts.js';
import { parsePython, type SyntaxNode } from './parser.js';
import { callParts, dottedParts, stringLiteralValue, type CallParts } from './syntax.js';

/** How a config file is read: `from_file(load=json.load)`, `from_json`, `from_pyfile`/`from_envvar` (Python). */
export type ConfigFileFormat = 'json' | 'toml' | 'yaml' | 'python';

/** Where Flask looks for a relative file name: `root_path` (the app module's folder) or `instance_path`. */
export interface ConfigFolder {
  folder: string;
  /** True for the instance folder: files there are not modules of the project. */
  instance: boolean;
  /** The assumption, in words for the message. */
  assumed: string;
}

/** What a committed config file sets DEBUG to, when that is on. */
export interface ConfigFileDebug {
  /** 1-based line of the DEBUG entry. */
  line: number;
  /** The entry as the file writes it: `"DEBUG": true`, `DEBUG = True`. */
  describe: string;
}

const MAX_CONFIG_BYTES = 1_000_000;
const LOADERS: Readonly<Record<string, ConfigFileFormat>> = {
  'json.load': 'json',
  'json.loads': 'json',
  'tomllib.load': 'toml',
  'tomli.load': 'toml',
  'toml.load': 'toml',
  'yaml.safe_load': 'yaml',
  'yaml.load': 'yaml',
  'yaml.full_load': 'yaml',
};

/** The format a loader reads, by its qualified name (`yaml.safe_load`), if it is one. */
export function loaderFormat(qualified: string): ConfigFileFormat | undefined {
  return Object.hasOwn(LOADERS, qualified) ? LOADERS[qualified] : undefined;
}

/** The format `from_file(..., load=...)` reads, from its loader (through imports), else from the file's extension. */
export function fromFileFormat(facts: ModuleFacts, parts: CallParts, fileName: string): ConfigFileFormat | undefined {
  const loader = parts.keywords.get('load')?.value ?? parts.positional[1];
  const qualified = loader ? (facts.qualifiedName(loader) ?? loader.text) : undefined;
  const byLoader = qualified === undefined ? undefined : LOADERS[qualified];
  if (byLoader) return byLoader;
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.toml$/i.test(fileName)) return 'toml';
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  return undefined;
}

/**
 * The file name a config loader is given: a string literal, or `os.path.join(<folder>, "name")` whose folder
 * is the module's (`os.path.dirname(__file__)`, `app.root_path`) or the instance folder (`app.instance_path`).
 */
export function configFileArgument(
  argument: SyntaxNode,
): { name: string; base?: 'module' | 'instance' | 'root' } | undefined {
  const literal = stringLiteralValue(argument);
  if (literal !== undefined) return literal ? { name: literal } : undefined;
  const parts = argument.type === 'call' ? callParts(argument) : undefined;
  const callee = parts ? dottedParts(parts.callee)?.join('.') : undefined;
  if (!parts || (callee !== 'os.path.join' && callee !== 'path.join') || parts.positional.length < 2) return undefined;
  const [folder, ...rest] = parts.positional;
  const names = rest.map((node) => stringLiteralValue(node));
  if (!folder || names.some((name) => name === undefined)) return undefined;
  const name = names.join('/');
  if (/\binstance_path\b/.test(folder.text)) return { name, base: 'instance' };
  if (/\broot_path\b/.test(folder.text)) return { name, base: 'root' };
  if (/__file__/.test(folder.text)) return { name, base: 'module' };
  return undefined;
}

/**
 * Where Flask resolves a relative config file name for the app built in `modulePath`: the app's
 * root_path (the module's folder, as for `Flask(__name__)`), or with `instance_relative_config=True`
 * the instance folder (`instance/` beside the module, or beside a package's folder).
 */
export function configFolder(modulePath: string, source: string, base?: 'module' | 'instance' | 'root'): ConfigFolder {
  const moduleFolder = dirname(modulePath);
  const instanceRelative = /\binstance_relative_config\s*=\s*True\b/.test(source);
  if (base === 'module' || base === 'root')
    return { folder: moduleFolder, instance: false, assumed: "the app's root_path, this module's folder" };
  if (base === 'instance' || instanceRelative) {
    const owner = basename(modulePath) === '__init__.py' ? dirname(moduleFolder) : moduleFolder;
    return {
      folder: join(owner, 'instance'),
      instance: true,
      assumed: "the app's instance folder, instance/ beside the app (instance_relative_config=True)",
    };
  }
  return {
    folder: moduleFolder,
    instance: false,
    assumed: "the app's root_path, this module's folder as for Flask(__name__)",
  };
}

/** The committed file `name` resolves to from `folder`, when it exists (an absolute name as it is). */
export function resolveConfigFile(folder: string, name: string): string | undefined {
  const path = isAbsolute(name) ? name : join(folder, name);
  try {
    return existsSync(path) && statSync(path).isFile() && statSync(path).size <= MAX_CONFIG_BYTES ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the config file at `path` sets DEBUG to, when on: Flask copies its upper-case top-level keys
 * into app.config (`from_mapping`), and `bool()` of any non-empty string is true.
 */
export function debugInConfigFile(
  path: string,
  format: ConfigFileFormat,
  keys: 'as-written' | 'upper-cased' = 'as-written',
): ConfigFileDebug | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  switch (format) {
    case 'json':
      return jsonDebug(text, keys);
    case 'toml':
      return tomlDebug(text, keys);
    case 'yaml':
      return yamlDebug(text, keys);
    case 'python':
      return pythonDebug(text);
  }
}

/** `"DEBUG": "false"`: a string is on whatever it says. */
function stringNote(value: unknown): string {
  return typeof value === 'string' ? ' (a non-empty string is true to Flask)' : '';
}

/** How Flask reads a config value from a parsed file: `bool()` of it, so any non-empty string is true. */
export function isOn(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  if (typeof value === 'number') return value !== 0;
  return value === true;
}

/** The DEBUG entry of a parsed top-level mapping: `debug` too when the code upper-cases the keys. */
function debugKey(mapping: Record<string, unknown>, keys: 'as-written' | 'upper-cased'): string | undefined {
  if (keys === 'as-written') return Object.hasOwn(mapping, 'DEBUG') ? 'DEBUG' : undefined;
  return Object.keys(mapping).findLast((key) => key.toUpperCase() === 'DEBUG');
}

function lineOf(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  return match ? text.slice(0, match.index).split('\n').length : 1;
}

function jsonDebug(text: string, keys: 'as-written' | 'upper-cased'): ConfigFileDebug | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const key = debugKey(value as Record<string, unknown>, keys);
  const debug = key === undefined ? undefined : (value as Record<string, unknown>)[key];
  if (key === undefined || !isOn(debug)) return undefined;
  return {
    line: lineOf(text, new RegExp(`"${key}"\\s*:`)),
    describe: `"${key}": ${JSON.stringify(debug)}${stringNote(debug)}`,
  };
}

// Top-level `DEBUG = true` before any [table] header: what tomllib puts at the top of the mapping.
function tomlDebug(text: string, keys: 'as-written' | 'upper-cased'): ConfigFileDebug | undefined {
  const lines = text.split('\n');
  const entry = /^\s*(DEBUG)\s*=\s*(true|false|-?\d[\d_]*|"[^"]*"|'[^']*')\s*(?:#.*)?$/;
  const pattern = keys === 'upper-cased' ? new RegExp(entry.source, 'i') : entry;
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    if (/^\s*\[/.test(line)) return undefined;
    const match = pattern.exec(line);
    if (!match?.[2]) continue;
    const raw = match[2];
    const value = /^["']/.test(raw) ? raw.slice(1, -1) : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
    return isOn(value) ? { line: index + 1, describe: `${line.trim()}${stringNote(value)}` } : undefined;
  }
  return undefined;
}

function yamlDebug(text: string, keys: 'as-written' | 'upper-cased'): ConfigFileDebug | undefined {
  let value: unknown;
  // Outside the try: a yaml package not yet loaded is loaded by the caller's withLazyParsers, not a bad file.
  const yaml = yamlLibrary();
  try {
    value = yaml.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const key = debugKey(value as Record<string, unknown>, keys);
  const debug = key === undefined ? undefined : (value as Record<string, unknown>)[key];
  if (key === undefined || !isOn(debug)) return undefined;
  const line = lineOf(text, new RegExp(`^${key}\\s*:`, 'm'));
  return { line, describe: `${(text.split('\n')[line - 1] ?? '').trim()}${stringNote(debug)}` };
}

// A Python config file (from_pyfile/from_envvar executes it): a module-level DEBUG that is on, read like code.
function pythonDebug(text: string): ConfigFileDebug | undefined {
  if (!/^DEBUG\b/m.test(text)) return undefined;
  const tree = parsePython(text);
  try {
    const facts = new ModuleFacts(tree, text);
    const node = facts.constantNode('DEBUG');
    const value = node && switchValue(facts, node);
    if (!node || !value?.truthy) return undefined;
    return { line: node.startPosition.row + 1, describe: `DEBUG = ${value.describe}` };
  } finally {
    tree.delete();
  }
}
