import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { yamlLibrary } from '../files/yaml-library.js';
import { isOn as isFlaskTruthy } from './config-files.js';

/**
 * Dynaconf's Flask extension (`FlaskDynaconf(app)`) replaces app.config with the settings files it finds:
 * `settings.toml`, `.secrets.toml` and their YAML and JSON forms (or the `settings_files` it is given), in the
 * folder of the script Python runs or the working directory, a folder above them, or a `config/` folder there.
 * We look from the module's folder up (the project root, where servers start, is among them). With
 * environments on (the extension's default), a file's `[default]` and `[global]` tables apply to every
 * environment, and `[<env>]` to one: the environment is FLASK_ENV's value, `development` while it is unset.
 * (Checked against Dynaconf 3.2 with Flask 3.1: `[development] DEBUG = true` gives app.debug True unless
 * FLASK_ENV names another environment; a top-level DEBUG outside any table is not loaded.)
 */
export interface DynaconfDebug {
  /** The settings file, absolute. */
  path: string;
  /** 1-based line of the DEBUG entry. */
  line: number;
  /** `[development] DEBUG = true` */
  describe: string;
  /** When it applies: every environment (also: development and production both), by default, or in production. */
  applies: 'everywhere' | 'by-default' | 'in-production';
}

const SETTINGS_NAMES = [
  'settings.toml',
  '.secrets.toml',
  'settings.yaml',
  'settings.yml',
  '.secrets.yaml',
  '.secrets.yml',
  'settings.json',
  '.secrets.json',
];
const MAX_SETTINGS_BYTES = 1_000_000;
// How far above the module Dynaconf's search is followed: a project's own folders, not the disk.
const MAX_LEVELS = 4;

/** The settings files Dynaconf finds for a module: `names` (given) or the default names, nearest folder first. */
export function dynaconfSettingsFiles(modulePath: string, names?: readonly string[]): string[] {
  const wanted = names ?? SETTINGS_NAMES;
  let folder = dirname(modulePath);
  for (let level = 0; level <= MAX_LEVELS; level++) {
    const found = wanted.flatMap((name) => [join(folder, name), join(folder, 'config', name)]).filter(isSmallFile);
    if (found.length > 0 || existsSync(join(folder, '.git'))) return found;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return [];
}

/** The first DEBUG that is on in a settings file, and where it applies; undefined when none is. */
export function dynaconfDebug(path: string, environments: boolean): DynaconfDebug | undefined {
  const read = readSettings(path);
  if (!read) return undefined;
  const { tables, text } = read;
  const at = (table: string | undefined) => lineOfDebug(text, table);
  if (!environments) {
    return isOn(tables.DEBUG) ? { path, ...at(undefined), applies: 'everywhere' } : undefined;
  }
  const table = (name: string) => {
    const key = Object.keys(tables).find((each) => each.toLowerCase() === name);
    const value = key ? tables[key] : undefined;
    return typeof value === 'object' && value !== null ? { key, values: value as Record<string, unknown> } : undefined;
  };
  const global = table('global');
  if (global && 'DEBUG' in global.values)
    return isOn(global.values.DEBUG) ? { path, ...at(global.key), applies: 'everywhere' } : undefined;
  // An environment's own DEBUG, else the one [default] gives every environment.
  const fallback = table('default');
  const effective = (name: string) => {
    const own = table(name);
    const source = own && 'DEBUG' in own.values ? own : fallback && 'DEBUG' in fallback.values ? fallback : undefined;
    return source && isOn(source.values.DEBUG) ? source.key : undefined;
  };
  const [development, production] = [effective('development'), effective('production')];
  if (production) return { path, ...at(production), applies: development ? 'everywhere' : 'in-production' };
  return development ? { path, ...at(development), applies: 'by-default' } : undefined;
}

function isSmallFile(path: string): boolean {
  try {
    const stats = statSync(path);
    return stats.isFile() && stats.size <= MAX_SETTINGS_BYTES;
  } catch {
    return false;
  }
}

function readSettings(path: string): { tables: Record<string, unknown>; text: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // Outside the try: a yaml package not yet loaded is loaded by the caller's withLazyParsers, not a bad file.
  const yaml = /\.ya?ml$/i.test(path) ? yamlLibrary() : undefined;
  try {
    const value: unknown = yaml ? yaml.parse(text) : /\.json$/i.test(path) ? JSON.parse(text) : parseToml(text);
    return typeof value === 'object' && value !== null ? { tables: value as Record<string, unknown>, text } : undefined;
  } catch {
    return undefined;
  }
}

// A `@bool` string is cast by Dynaconf; any other value is read as Flask reads it.
function isOn(value: unknown): boolean {
  const cast = typeof value === 'string' ? /^@bool\s*(.*)$/i.exec(value.trim()) : null;
  return cast ? /^(?:true|1|yes|on)$/i.test(cast[1] ?? '') : isFlaskTruthy(value);
}

/** The line of DEBUG inside `table` (a TOML `[table]` or a YAML `table:` block), or at the top level. */
function lineOfDebug(text: string, table: string | undefined): { line: number; describe: string } {
  const lines = text.split('\n');
  let inside = table === undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line)?.[1] ?? /^([A-Za-z_][\w-]*)\s*:\s*$/.exec(line)?.[1];
    if (header !== undefined) inside = table !== undefined && header.trim().toLowerCase() === table.toLowerCase();
    else if (inside && /^\s*"?DEBUG"?\s*[=:]/.test(line))
      return { line: index + 1, describe: `${table ? `[${table}] ` : ''}${line.trim()}` };
  }
  return { line: 1, describe: `${table ? `[${table}] ` : ''}DEBUG` };
}
