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
export function debugInConfigFile(path: string, format: ConfigFileFormat): ConfigFileDebug | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  switch (format) {
    case 'json':
      return jsonDebug(text);
    case 'toml':
      return tomlDebug(text);
    case 'yaml':
      return yamlDebug(text);
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

function lineOf(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  return match ? text.slice(0, match.index).split('\n').length : 1;
}

function jsonDebug(text: string): ConfigFileDebug | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const debug = (value as Record<string, unknown>).DEBUG;
  if (!isOn(debug)) return undefined;
  return {
    line: lineOf(text, /"DEBUG"\s*:/),
    describe: `"DEBUG": ${JSON.stringify(debug)}${stringNote(debug)}`,
  };
}

// Top-level `DEBUG = true` before any [table] header: what tomllib puts at the top of the mapping.
function tomlDebug(text: string): ConfigFileDebug | undefined {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    if (/^\s*\[/.test(line)) return undefined;
    const match = /^\s*DEBUG\s*=\s*(true|false|-?\d[\d_]*|"[^"]*"|'[^']*')\s*(?:#.*)?$/.exec(line);
    if (!match?.[1]) continue;
    const raw = match[1];
    const value = /^["']/.test(raw) ? raw.slice(1, -1) : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
    return isOn(value) ? { line: index + 1, describe: `${line.trim()}${stringNote(value)}` } : undefined;
  }
  return undefined;
}

function yamlDebug(text: string): ConfigFileDebug | undefined {
  let value: unknown;
  // Outside the try: a yaml package not yet loaded is loaded by the caller's withLazyParsers, not a bad file.
  const yaml = yamlLibrary();
  try {
    value = yaml.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !isOn((value as Record<string, unknown>).DEBUG)) return undefined;
  const line = lineOf(text, /^DEBUG\s*:/m);
  return {
    line,
    describe: `${(text.split('\n')[line - 1] ?? '').trim()}${stringNote((value as Record<string, unknown>).DEBUG)}`,
  };
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
