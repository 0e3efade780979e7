import { existsSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { FileKind } from '../rules/rule.js';
import { UsageError } from '../cli/usage-error.js';
import { fileKindOf, isSkippedFolder, isTestPath } from './file-kinds.js';
import { GitIgnore, isInside } from './gitignore.js';

export interface DiscoveredFile {
  path: string;
  /** Path relative to the current directory, with `/`: what the user sees. */
  displayPath: string;
  /** Path relative to the project root, with `/`: for module names and SARIF. */
  rootPath: string;
  kind: FileKind;
  gitIgnored: boolean;
}

export type SkipReason = 'test code' | 'excluded by config' | 'broken symlink' | 'unreadable' | 'symlink loop' | 'not a checked file type';

export interface Discovery {
  root: string;
  files: DiscoveredFile[];
  /** Every Python file seen, tests included: where imports are resolved. */
  pythonFiles: string[];
  skipped: { displayPath: string; reason: SkipReason }[];
}

export interface DiscoveryOptions {
  includeTests: boolean;
  /** gitignore-style patterns relative to the root, from the config file. */
  exclude: string[];
  cwd: string;
}

/** The repository root above `start` (where .git is), or undefined outside git. */
export function findGitRoot(start: string): string | undefined {
  for (let current = start; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The project root for the given paths: the git repository around the first
 * one, or the first path's folder outside git. Missing paths are a usage error.
 */
export function projectRootOf(inputs: string[], cwd: string): { root: string; isGitRepository: boolean } {
  const absoluteInputs = inputs.map((input) => resolve(cwd, input));
  for (const [index, input] of absoluteInputs.entries()) {
    if (!existsSync(input)) throw new UsageError(`no such file or directory: ${inputs[index]}`);
  }
  const first = absoluteInputs[0] ?? cwd;
  const firstFolder = statSync(first).isDirectory() ? first : dirname(first);
  const gitRoot = findGitRoot(firstFolder);
  return { root: gitRoot ?? firstFolder, isGitRepository: gitRoot !== undefined };
}

/**
 * Finds the files to check under the given paths: git-ignore aware from the
 * repository root, skipping dependency and build folders, virtualenvs and (by
 * default) tests, following symlinks once.
 */
export function discoverFiles(inputs: string[], options: DiscoveryOptions): Discovery {
  const absoluteInputs = inputs.map((input) => resolve(options.cwd, input));
  const { root, isGitRepository } = projectRootOf(inputs, options.cwd);
  const gitIgnore = new GitIgnore(root, isGitRepository);
  const excluded: Ignore = ignore().add(options.exclude);
  const discovery: Discovery = { root, files: [], pythonFiles: [], skipped: [] };
  const seenFiles = new Set<string>();
  const seenFolders = new Set<string>();
  const toPosix = (path: string) => path.split(sep).join('/');
  const displayPath = (path: string) => toPosix(relative(options.cwd, path)) || basename(path);

  const visitFile = (path: string, explicit: boolean) => {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      discovery.skipped.push({ displayPath: displayPath(path), reason: 'broken symlink' });
      return;
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    const kind = fileKindOf(basename(path));
    if (!kind) {
      if (explicit) discovery.skipped.push({ displayPath: displayPath(path), reason: 'not a checked file type' });
      return;
    }
    const rootPath = isInside(root, path) ? toPosix(relative(root, path)) : basename(path);
    if (kind === 'python') discovery.pythonFiles.push(path);
    if (rootPath && excluded.ignores(rootPath)) {
      discovery.skipped.push({ displayPath: displayPath(path), reason: 'excluded by config' });
      return;
    }
    if (!options.includeTests && isTestPath(rootPath)) {
      discovery.skipped.push({ displayPath: displayPath(path), reason: 'test code' });
      return;
    }
    // Explicitly named files are checked even when ignored; rules learn whether git ignores them.
    const gitIgnored = explicit && isInside(root, path) && (gitIgnore.loadFolder(dirname(path)), gitIgnore.isIgnored(path, false));
    discovery.files.push({ path, displayPath: displayPath(path), rootPath, kind, gitIgnored });
  };

  const visitFolder = (folder: string) => {
    let real: string;
    try {
      real = realpathSync(folder);
    } catch {
      discovery.skipped.push({ displayPath: displayPath(folder), reason: 'broken symlink' });
      return;
    }
    if (seenFolders.has(real)) {
      discovery.skipped.push({ displayPath: displayPath(folder), reason: 'symlink loop' });
      return;
    }
    seenFolders.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      discovery.skipped.push({ displayPath: displayPath(folder), reason: 'unreadable' });
      return;
    }
    // A virtualenv under any name is marked by its pyvenv.cfg.
    if (entries.some((entry) => entry.name === 'pyvenv.cfg' && entry.isFile())) return;
    if (isInside(root, folder)) gitIgnore.loadFolder(folder);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      let isFolder = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isFolder = statSync(path).isDirectory();
        } catch {
          discovery.skipped.push({ displayPath: displayPath(path), reason: 'broken symlink' });
          continue;
        }
      }
      if (isFolder && isSkippedFolder(entry.name)) continue;
      if (isInside(root, path) && gitIgnore.isIgnored(path, isFolder)) continue;
      if (isFolder) visitFolder(path);
      else if (entry.isFile() || entry.isSymbolicLink()) visitFile(path, false);
    }
  };

  for (const input of absoluteInputs) {
    if (statSync(input).isDirectory()) visitFolder(input);
    else visitFile(input, true);
  }
  discovery.files.sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
  return discovery;
}
