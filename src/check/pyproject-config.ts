import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { UsageError } from '../core/usage-error.js';

/**
 * The nearest `pyproject.toml` with a `[tool.secure-flask]` table, from `start` up to the
 * project root. As Ruff does, a pyproject.toml without our table is passed over (it may
 * only configure Ruff or the build). Unlike Ruff we stop at the root: a checkout's result
 * does not depend on the folders it sits in.
 */
export function findPyprojectTable(start: string, root: string): { path: string; table: unknown } | undefined {
  for (let folder = start; ; folder = dirname(folder)) {
    const path = join(folder, 'pyproject.toml');
    // A cheap look at the text first: most pyproject.toml files are not ours to parse.
    const text = readIfPresent(path);
    if (text?.includes('secure-flask')) {
      const tool = parseToml(text, path.slice(root.length + 1) || 'pyproject.toml').tool as
        | Record<string, unknown>
        | undefined;
      if (tool?.['secure-flask'] !== undefined) return { path, table: tool['secure-flask'] };
    }
    if (folder === root || dirname(folder) === folder || !folder.startsWith(root)) return undefined;
  }
}

export function readTomlFile(path: string, name: string): Record<string, unknown> {
  const text = readIfPresent(path);
  if (text === undefined) throw new UsageError(`cannot read ${name}`);
  return parseToml(text, name);
}

function parseToml(text: string, name: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : '';
    const message = (error as Error).message.split('\n')[0] ?? '';
    throw new UsageError(`${name}: not valid TOML${where} (${message.replace(/^Invalid TOML document: /, '')})`);
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
