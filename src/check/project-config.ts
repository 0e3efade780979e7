import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/usage-error.js';

export const CONFIG_FILE_NAME = '.secure-flask.json';

/** `.secure-flask.json` at the project root: paths to leave out and rules to turn off. */
export interface ProjectConfig {
  exclude: string[];
  disable: string[];
}

export function loadProjectConfig(root: string, knownRuleIds: Set<string>): ProjectConfig {
  const path = join(root, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { exclude: [], disable: [] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${CONFIG_FILE_NAME}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${CONFIG_FILE_NAME}: expected a JSON object`);
  const config = parsed as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (key !== 'exclude' && key !== 'disable' && key !== '$schema') throw new UsageError(`${CONFIG_FILE_NAME}: unknown key '${key}' (allowed: exclude, disable)`);
  }
  const stringList = (key: string): string[] => {
    const value = config[key] ?? [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new UsageError(`${CONFIG_FILE_NAME}: '${key}' must be a list of strings`);
    return value;
  };
  const disable = stringList('disable');
  for (const id of disable) {
    if (!knownRuleIds.has(id)) throw new UsageError(`${CONFIG_FILE_NAME}: unknown rule '${id}' in 'disable' (see 'secure-flask rules')`);
  }
  return { exclude: stringList('exclude'), disable };
}
