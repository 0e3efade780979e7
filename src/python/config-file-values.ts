import { escapeRegExp } from '../core/escape-regexp.js';
import { readFileSync } from 'node:fs';
import { yamlLibrary } from '../files/yaml-library.js';
import type { ConfigFileFormat } from './config-files.js';

/** One entry of a committed JSON, YAML or TOML file: its parsed value, 1-based line and text there. */
export interface FileSetting {
  value: unknown;
  line: number;
  text: string;
}

const MAX_BYTES = 1_000_000;

/**
 * The entry at `keys` (`["debug"]`, `["server", "debug"]`) of a config file, as the format's loader parses it.
 * Undefined when the file cannot be read or parsed, or has no such entry.
 */
export function settingInConfigFile(
  path: string,
  format: ConfigFileFormat,
  keys: readonly string[],
): FileSetting | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (text.length > MAX_BYTES || keys.length === 0) return undefined;
  if (format === 'toml') return tomlSetting(text, keys);
  if (format !== 'json' && format !== 'yaml') return undefined;
  let parsed: unknown;
  // Outside the try: a yaml package not yet loaded is loaded by the caller's withLazyParsers, not a bad file.
  const yaml = format === 'yaml' ? yamlLibrary() : undefined;
  try {
    parsed = yaml ? yaml.parse(text) : JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const key of keys) {
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.hasOwn(parsed, key))
      return undefined;
    parsed = (parsed as Record<string, unknown>)[key];
  }
  const last = escapeRegExp(keys.at(-1) ?? '');
  const pattern = format === 'json' ? new RegExp(`"${last}"\\s*:`) : new RegExp(`^\\s*["']?${last}["']?\\s*:`, 'm');
  const match = pattern.exec(text);
  const line = match ? text.slice(0, match.index).split('\n').length : 1;
  return { value: parsed, line, text: (text.split('\n')[line - 1] ?? '').trim() };
}

/** A top-level key (before any table) or one key of a `[table]`: what config files of apps hold. */
function tomlSetting(text: string, keys: readonly string[]): FileSetting | undefined {
  if (keys.length > 2) return undefined;
  const [table, key] = keys.length === 2 ? keys : [undefined, keys[0]];
  const entry = new RegExp(
    `^\\s*${escapeRegExp(key ?? '')}\\s*=\\s*(true|false|-?\\d[\\d_]*|"[^"]*"|'[^']*')\\s*(?:#.*)?$`,
  );
  let current: string | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) {
      current = header[1]?.trim();
      continue;
    }
    const raw = current === table ? entry.exec(line)?.[1] : undefined;
    if (raw === undefined) continue;
    const value = /^["']/.test(raw) ? raw.slice(1, -1) : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
    return { value, line: index + 1, text: line.trim() };
  }
  return undefined;
}
