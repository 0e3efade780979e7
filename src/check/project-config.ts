import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/usage-error.js';
import { isInside } from '../files/gitignore.js';
import { findPyprojectTable, readTomlFile } from './pyproject-config.js';

export const CONFIG_FILE_NAME = '.secure-flask.json';

/**
 * The settings check reads from `.secure-flask.json` at the project root, or from
 * `[tool.secure-flask]` in the nearest `pyproject.toml`: the same keys in both.
 * Paths are already rebased on the project root (patterns) or made absolute (baseline).
 */
export interface ProjectConfig {
  exclude: string[];
  extendExclude: string[];
  /** Rules turned off: `disable` and Ruff's name for it, `ignore`. */
  disable: string[];
  /** Only these rules, when set. */
  select?: string[];
  /** A JSON report written earlier: findings in it are not reported again. */
  baseline?: string;
  /** The files the settings came from, as the user would name them. */
  sources: string[];
}

const LIST_KEYS = ['exclude', 'extend-exclude', 'disable', 'select', 'ignore'] as const;
const KEYS = [...LIST_KEYS, 'baseline'] as const;
type Key = (typeof KEYS)[number];
type RawConfig = Partial<Record<Key, string[] | string>>;

/** One config file's table, checked: only known keys, lists of strings, known rule ids. */
interface ConfigSource {
  name: string;
  folder: string;
  values: RawConfig;
}

export interface ConfigLookup {
  root: string;
  /** Where the search for pyproject.toml starts (the first path's folder): the nearest one wins, as in Ruff. */
  searchFrom: string;
  /** `--config FILE`: read this one instead of looking for either file. */
  configFile?: string;
  cwd: string;
  knownRuleIds: ReadonlySet<string>;
}

export function loadProjectConfig(lookup: ConfigLookup): ProjectConfig {
  const sources = lookup.configFile !== undefined ? [explicitSource(lookup)] : discoveredSources(lookup);
  for (const source of sources) validate(source, lookup.knownRuleIds);
  const [first, second] = sources;
  if (first && second) {
    // Both files may be there (a JSON file kept from before); a setting they give differently has no right answer.
    for (const key of KEYS) {
      const a = first.values[key];
      const b = second.values[key];
      if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b)) {
        throw new UsageError(`'${key}' is set differently in ${first.name} and ${second.name}: keep it in one of them`);
      }
    }
  }
  const config: ProjectConfig = {
    exclude: [],
    extendExclude: [],
    disable: [],
    sources: sources.map((source) => source.name),
  };
  for (const source of sources) {
    const list = (key: (typeof LIST_KEYS)[number]) => (source.values[key] as string[] | undefined) ?? [];
    const rebase = (patterns: string[]) =>
      patterns.map((pattern) => rebasePattern(pattern, lookup.root, source.folder));
    config.exclude = union(config.exclude, rebase(list('exclude')));
    config.extendExclude = union(config.extendExclude, rebase(list('extend-exclude')));
    config.disable = union(config.disable, [...list('disable'), ...list('ignore')]);
    if (source.values.select !== undefined) config.select = list('select');
    if (typeof source.values.baseline === 'string') config.baseline = resolve(source.folder, source.values.baseline);
  }
  return config;
}

function discoveredSources(lookup: ConfigLookup): ConfigSource[] {
  const sources: ConfigSource[] = [];
  const jsonPath = join(lookup.root, CONFIG_FILE_NAME);
  if (existsSync(jsonPath))
    sources.push({ name: CONFIG_FILE_NAME, folder: lookup.root, values: readJson(jsonPath, CONFIG_FILE_NAME) });
  const pyproject = findPyprojectTable(lookup.searchFrom, lookup.root);
  if (pyproject) {
    const shown = relative(lookup.cwd, pyproject.path).split(sep).join('/') || 'pyproject.toml';
    sources.push({
      name: `${shown} [tool.secure-flask]`,
      folder: dirname(pyproject.path),
      values: asRawConfig(pyproject.table, `${shown} [tool.secure-flask]`),
    });
  }
  return sources;
}

/**
 * `--config FILE`: JSON as `.secure-flask.json`; `pyproject.toml` by its `[tool.secure-flask]` table; other TOML
 * by its top level.
 */
function explicitSource(lookup: ConfigLookup): ConfigSource {
  const path = resolve(lookup.cwd, lookup.configFile ?? '');
  const name = lookup.configFile ?? '';
  if (!existsSync(path)) throw new UsageError(`--config: no such file: ${name}`);
  // Patterns in a config file outside the project are read relative to the project root.
  const folder = isInside(lookup.root, dirname(path)) ? dirname(path) : lookup.root;
  if (path.endsWith('.json')) return { name, folder, values: readJson(path, name) };
  if (!path.endsWith('.toml')) throw new UsageError(`--config: expected a .json or .toml file (got ${name})`);
  const document = readTomlFile(path, name);
  if (basename(path) === 'pyproject.toml') {
    const tool = document.tool as Record<string, unknown> | undefined;
    const table = tool?.['secure-flask'];
    if (table === undefined) throw new UsageError(`--config: ${name} has no [tool.secure-flask] table`);
    return { name: `${name} [tool.secure-flask]`, folder, values: asRawConfig(table, `${name} [tool.secure-flask]`) };
  }
  return { name, folder, values: asRawConfig(document, name) };
}

function readJson(path: string, name: string): RawConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${name}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
    delete (parsed as Record<string, unknown>).$schema;
  return asRawConfig(parsed, name);
}

function asRawConfig(value: unknown, name: string): RawConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${name}: expected a table of settings`);
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!(KEYS as readonly string[]).includes(key))
      throw new UsageError(`${name}: unknown key '${key}' (allowed: ${KEYS.join(', ')})`);
  }
  for (const key of LIST_KEYS) {
    const list = config[key];
    if (list !== undefined && (!Array.isArray(list) || !list.every((item) => typeof item === 'string')))
      throw new UsageError(`${name}: '${key}' must be a list of strings`);
  }
  if (config.baseline !== undefined && (typeof config.baseline !== 'string' || config.baseline === ''))
    throw new UsageError(`${name}: 'baseline' must be a file name`);
  return config as RawConfig;
}

function validate(source: ConfigSource, known: ReadonlySet<string>): void {
  for (const key of ['disable', 'ignore', 'select'] as const) {
    for (const id of (source.values[key] as string[] | undefined) ?? []) {
      if (!known.has(id))
        throw new UsageError(`${source.name}: unknown rule '${id}' in '${key}' (valid: ${[...known].join(', ')})`);
    }
  }
}

/**
 * A gitignore-style pattern written relative to a config file's folder, as a pattern relative to the
 * project root: an anchored one (a slash before its end) gets the folder in front, an unanchored one
 * still matches at any depth, but only below that folder.
 */
export function rebasePattern(pattern: string, root: string, folder: string): string {
  const prefix = relative(root, folder).split(sep).join('/');
  if (prefix === '' || isAbsolute(prefix) || prefix.startsWith('..')) return pattern;
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  const anchored = body.replace(/\/$/, '').includes('/');
  const rebased = anchored ? `${prefix}/${body.replace(/^\//, '')}` : `${prefix}/**/${body}`;
  return negated ? `!${rebased}` : rebased;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
