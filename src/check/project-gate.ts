import { existsSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { readFileBytes } from '../files/source-text.js';
import type { Rule } from '../rules/rule.js';
import type { DiscoveredFile, Discovery } from '../files/discover.js';
import { containsKeyword, type Screening } from './screen-file.js';

/**
 * The rules that can report anything here: all of them, less those whose project keywords
 * (Rule.projectKeywords) no Python file of the project contains. Only a run over the whole
 * project knows that (`project`); a run over some files keeps every rule. "The project" is
 * every Python file an import could reach: the files checked, tests and excluded files, and
 * those in folders the walk left out (git-ignored, build output); when those are too many to
 * read, or the root is itself a package (imports may reach above it), every rule is kept.
 */
export function rulesThatCanReport(
  rules: readonly Rule[],
  screened: readonly { file: DiscoveredFile; screening: Screening }[],
  project: Discovery | undefined,
): Rule[] {
  if (!project) return [...rules];
  const candidates = new Set(screened.flatMap(({ screening }) => screening.ruleIds));
  const found = new Set(screened.flatMap(({ screening }) => screening.projectKeywords));
  const canReport = (rule: Rule) => !rule.projectKeywords || rule.projectKeywords.some((keyword) => found.has(keyword));
  let waiting = rules.filter((rule) => !canReport(rule) && candidates.has(rule.id));
  if (waiting.length === 0) return rules.filter(canReport);
  if (existsSync(join(project.root, '__init__.py'))) return [...rules];
  const screenedPaths = new Set(screened.map(({ file }) => file.path));
  const unscreened = project.pythonFiles.filter((path) => !screenedPaths.has(path));
  const leftOut = pythonFilesUnder(project.leftOut, LEFT_OUT_READ_LIMIT);
  if (leftOut === undefined) return [...rules];
  for (const path of [...unscreened, ...leftOut]) {
    if (waiting.length === 0) break;
    const read = readFileBytes(path);
    if (!read.ok) continue;
    const keywords = new Set(waiting.flatMap((rule) => rule.projectKeywords ?? []));
    const text = [...keywords].some((keyword) => read.bytes.includes(keyword, 0, 'latin1'))
      ? read.bytes.toString('latin1')
      : undefined;
    if (text !== undefined) for (const keyword of keywords) if (containsKeyword(text, keyword)) found.add(keyword);
    waiting = waiting.filter((rule) => !canReport(rule));
  }
  return rules.filter(canReport);
}

// Past this many Python files in left-out folders, reading them all costs more than the gate saves.
const LEFT_OUT_READ_LIMIT = 2000;

/** The Python files among `paths` and under those that are folders (no symlinks followed), or undefined past `limit`. */
function pythonFilesUnder(paths: readonly string[], limit: number): string[] | undefined {
  const files: string[] = [];
  const stack = [...paths];
  while (stack.length > 0) {
    const path = stack.pop();
    if (path === undefined) break;
    if (path.endsWith('.py') && !statOrUndefined(path)?.isDirectory()) {
      files.push(path);
    } else {
      let entries: Dirent[];
      try {
        entries = readdirSync(path, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) stack.push(join(path, entry.name));
        else if (entry.isFile() && entry.name.endsWith('.py')) files.push(join(path, entry.name));
      }
    }
    if (files.length > limit) return undefined;
  }
  return files;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
