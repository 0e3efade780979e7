import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
  type Dirent,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from '../core/usage-error.js';
import { unreadableReason } from './source-text.js';
import { fileKindOf, isSkippedFolder, isTestPath, type FileKind } from './file-kinds.js';
import { GitIgnore } from './gitignore.js';

export interface DiscoveredFile {
  path: string;
  /** Path relative to the current directory, with `/`: what the user sees. */
  displayPath: string;
  /** Path relative to the project root, with `/`: for module names and SARIF. */
  rootPath: string;
  kind: FileKind;
  gitIgnored: boolean;
}

export type SkipReason =
  | 'test code'
  | 'virtualenv'
  | 'excluded by config'
  | 'broken symlink'
  | 'symlink to a folder outside the repository'
  | 'symlink to a file outside the repository'
  | `unreadable (${string})`
  | 'symlink loop'
  | 'not a checked file type'
  | 'not a regular file';

export interface Discovery {
  root: string;
  files: DiscoveredFile[];
  /** Every Python file seen, tests included: where imports are resolved. */
  pythonFiles: string[];
  /**
   * Folders and Python files under the root the walk left out (git-ignored, build output,
   * virtualenvs) whose names an import could name: an import may still find a module there.
   */
  leftOut: string[];
  skipped: { displayPath: string; reason: SkipReason }[];
}

export interface DiscoveryOptions {
  includeTests: boolean;
  /** gitignore-style patterns relative to the root, from the config file. */
  exclude: string[];
  cwd: string;
  /** Called for each file as soon as it is found, so analysis can start during the walk. */
  onFile?: (file: DiscoveredFile) => void;
}

// A name `import a.b` could reach: a Python identifier (`node_modules` holds no Python packages).
const IMPORTABLE_NAME = /^(?!node_modules$|__pycache__$)[A-Za-z_]\w*$/;

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
/**
 * A folder that is a package (`app/` with its `__init__.py`) is imported from the folder above it: that one is
 * the root (`from app.env import env` in app/__init__.py resolves there), up to the working directory.
 */
function abovePackages(folder: string, cwd: string): string {
  let root = folder;
  while (root.startsWith(cwd + sep) && existsSync(join(root, '__init__.py'))) root = dirname(root);
  return root;
}

export function projectRootOf(inputs: string[], cwd: string): { root: string; isGitRepository: boolean } {
  const absoluteInputs = inputs.map((input) => resolve(cwd, input));
  for (const [index, input] of absoluteInputs.entries()) {
    if (!existsSync(input)) throw new UsageError(`no such file or directory: ${inputs[index]}`);
    // A path the user named and we cannot read is an answer we cannot give, not "no findings".
    try {
      accessSync(input, statSync(input).isDirectory() ? constants.R_OK | constants.X_OK : constants.R_OK);
    } catch (error) {
      throw new UsageError(
        `cannot read ${inputs[index]}: ${unreadableReason(error).replace(/^unreadable \((.*)\)$/, '$1')}`,
      );
    }
  }
  const first = absoluteInputs[0] ?? cwd;
  const folderOf = (path: string) => (statSync(path).isDirectory() ? path : dirname(path));
  const firstFolder = folderOf(first);
  const gitRoot = findGitRoot(firstFolder);
  // Outside git, the folder that holds every named path: `check deploy/chart/values.yaml app/config.py`
  // resolves the chart's config class against app/, not against the chart's folder.
  if (gitRoot === undefined) {
    const common = commonFolder(absoluteInputs.map(folderOf), firstFolder);
    // A folder named is the root; files named inside a package are checked from above it.
    const onlyFiles = absoluteInputs.every((input) => !statSync(input).isDirectory());
    return { root: onlyFiles ? abovePackages(common, cwd) : common, isGitRepository: false };
  }
  // A folder the repository ignores (a checkout inside ~/.pyenv, say) was named on purpose:
  // check it as a tree of its own rather than find nothing.
  const gitIgnore = new GitIgnore(gitRoot, true);
  gitIgnore.loadFolder(dirname(firstFolder));
  const ignoredFolder =
    firstFolder !== gitRoot &&
    ancestorsBetween(gitRoot, firstFolder).some((folder) => gitIgnore.isIgnored(folder, true));
  return ignoredFolder ? { root: firstFolder, isGitRepository: false } : { root: gitRoot, isGitRepository: true };
}

/** The deepest folder that holds all of `folders` (each absolute and normalized). */
function commonFolder(folders: readonly string[], fallback: string): string {
  let common = folders[0] ?? fallback;
  for (const folder of folders.slice(1)) {
    while (folder !== common && !folder.startsWith(common.endsWith(sep) ? common : common + sep)) {
      if (dirname(common) === common) break;
      common = dirname(common);
    }
  }
  return common;
}

/** The folders from just below `root` down to `folder`, outermost first. */
function ancestorsBetween(root: string, folder: string): string[] {
  const chain: string[] = [];
  for (let current = folder; current !== root && dirname(current) !== current; current = dirname(current))
    chain.unshift(current);
  return chain;
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
  const discovery: Discovery = { root, files: [], pythonFiles: [], leftOut: [], skipped: [] };
  const seenFiles = new Set<string>();
  const seenFolders = new Set<string>();
  const toPosix = sep === '/' ? (path: string) => path : (path: string) => path.split(sep).join('/');
  const cwdPrefix = options.cwd.endsWith(sep) ? options.cwd : options.cwd + sep;
  // A tree outside the current directory (`check ~/src/app`): relative() once per folder, not per file.
  const displayFolders = new Map<string, string>();
  const displayPath = (path: string) => {
    if (path.startsWith(cwdPrefix)) return toPosix(path.slice(cwdPrefix.length));
    const folder = dirname(path);
    let shown = displayFolders.get(folder);
    if (shown === undefined) displayFolders.set(folder, (shown = toPosix(relative(options.cwd, folder))));
    return (shown === '' ? toPosix(relative(options.cwd, path)) : `${shown}/${basename(path)}`) || basename(path);
  };

  const rootPrefix = root.endsWith(sep) ? root : root + sep;
  const realRoot = realpathSync.native(root);
  const realRootPrefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  const underRoot = (path: string) => path === root || path.startsWith(rootPrefix);
  const visitFile = (path: string, explicit: boolean, isSymlink: boolean) => {
    // Only a symlink (or a path named twice) can reach a file twice: resolve just those.
    let real = path;
    if (explicit || isSymlink) {
      try {
        real = realpathSync.native(path);
      } catch {
        discovery.skipped.push({ displayPath: displayPath(path), reason: 'broken symlink' });
        return;
      }
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    const kind = fileKindOf(basename(path)) ?? (isPythonScript(path) ? 'python' : undefined);
    if (!kind) {
      if (explicit) discovery.skipped.push({ displayPath: displayPath(path), reason: 'not a checked file type' });
      return;
    }
    // A FIFO, socket or device behind a *.py name (or a link to one) would hang or never end the read.
    if (explicit || isSymlink) {
      let isRegular: boolean;
      try {
        isRegular = statSync(real).isFile();
      } catch (error) {
        discovery.skipped.push({ displayPath: displayPath(path), reason: unreadableReason(error) });
        return;
      }
      if (!isRegular) {
        discovery.skipped.push({ displayPath: displayPath(path), reason: 'not a regular file' });
        return;
      }
    }
    // A link found in the walk must not bring a file from outside into the report (or uploaded SARIF);
    // a path the user named is theirs to name.
    if (isSymlink && !explicit && underRoot(path) && real !== realRoot && !real.startsWith(realRootPrefix)) {
      discovery.skipped.push({ displayPath: displayPath(path), reason: 'symlink to a file outside the repository' });
      return;
    }
    const rootPath = underRoot(path) ? toPosix(path.slice(rootPrefix.length)) : basename(path);
    if (kind === 'python') discovery.pythonFiles.push(path);
    if (rootPath && options.exclude.length > 0 && excluded.ignores(rootPath)) {
      discovery.skipped.push({ displayPath: displayPath(path), reason: 'excluded by config' });
      return;
    }
    if (!options.includeTests && isTestPath(rootPath)) {
      discovery.skipped.push({ displayPath: displayPath(path), reason: 'test code' });
      return;
    }
    // Explicitly named files are checked even when ignored; rules learn whether git ignores them.
    if (explicit && underRoot(path)) gitIgnore.loadFolder(dirname(path));
    const gitIgnored = explicit && underRoot(path) && gitIgnore.isIgnored(path, false);
    const file: DiscoveredFile = { path, displayPath: displayPath(path), rootPath, kind, gitIgnored };
    discovery.files.push(file);
    options.onFile?.(file);
  };

  const visitFolder = (folder: string) => {
    let real: string;
    try {
      real = realpathSync.native(folder);
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
    } catch (error) {
      discovery.skipped.push({ displayPath: displayPath(folder), reason: unreadableReason(error) });
      return;
    }
    // A virtualenv under any name: pyvenv.cfg plus an interpreter or site-packages. Its own folders are
    // skipped; anything else beside them (a project created in place with `python -m venv .`) is checked.
    const markedVirtualenv =
      entries.some((entry) => entry.name === 'pyvenv.cfg' && entry.isFile()) ||
      CONVENTIONAL_VIRTUALENV_NAMES.has(basename(folder)) ||
      hasActivateScript(folder, entries);
    const virtualenvFolders = markedVirtualenv ? virtualenvLayout(folder) : undefined;
    if (virtualenvFolders) {
      if (underRoot(folder) || folder === root)
        discovery.skipped.push({ displayPath: displayPath(folder), reason: 'virtualenv' });
      entries = entries.filter((entry) => entry.name !== 'pyvenv.cfg' && !virtualenvFolders.has(entry.name));
      // Nothing but the virtualenv's own folders: nothing of the project's to check, or to read as left out.
      if (entries.every((entry) => !entry.isDirectory() && !fileKindOf(entry.name))) return;
    }
    if (underRoot(folder)) {
      gitIgnore.loadFolder(dirname(folder));
      gitIgnore.addFolder(
        folder,
        entries.some((entry) => entry.name === '.gitignore'),
      );
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      // folder is absolute and normalized: joining needs no normalizing (path.join costs a third of the walk).
      const path = folder.endsWith(sep) ? folder + entry.name : folder + sep + entry.name;
      let isFolder = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isFolder = statSync(path).isDirectory();
        } catch {
          discovery.skipped.push({ displayPath: displayPath(path), reason: 'broken symlink' });
          continue;
        }
        // `ln -s / rootlink` would walk the whole disk and put outside files in the report (and SARIF).
        if (isFolder && underRoot(folder)) {
          const target = realpathSync.native(path);
          if (target !== realRoot && !target.startsWith(realRootPrefix)) {
            discovery.skipped.push({
              displayPath: displayPath(path),
              reason: 'symlink to a folder outside the repository',
            });
            continue;
          }
        }
      }
      // A regular file of no checked kind is never visited, so whether git ignores it does not matter: most
      // files of a web project (templates, styles, images) are not matched against the ignore rules.
      if (entry.isFile() && !fileKindOf(entry.name) && !isPythonScript(path)) continue;
      const skippedByName = isFolder && isSkippedFolder(entry.name);
      if (skippedByName || (gitIgnore.hasRules && underRoot(path) && gitIgnore.isIgnored(path, isFolder))) {
        // A git-ignored virtualenv (often committed before the ignore rule) is reported like any other, and is
        // no code of the project's: its site-packages are never read as left-out modules.
        const virtualenv = isFolder && underRoot(path) && isVirtualenv(path, entry.name);
        if (!skippedByName && virtualenv)
          discovery.skipped.push({ displayPath: displayPath(path), reason: 'virtualenv' });
        if (
          !virtualenv &&
          underRoot(path) &&
          IMPORTABLE_NAME.test(isFolder ? entry.name : entry.name.replace(/\.py$/, '')) &&
          (isFolder || entry.name.endsWith('.py'))
        )
          discovery.leftOut.push(path);
        continue;
      }
      if (isFolder) visitFolder(path);
      else if (entry.isFile() || entry.isSymbolicLink()) visitFile(path, false, entry.isSymbolicLink());
      else if (fileKindOf(entry.name))
        discovery.skipped.push({ displayPath: displayPath(path), reason: 'not a regular file' });
    }
  };

  for (const input of absoluteInputs) {
    if (statSync(input).isDirectory()) visitFolder(input);
    else visitFile(input, true, false);
  }
  discovery.files.sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
  return discovery;
}

// Older virtualenv releases wrote no pyvenv.cfg: these names are checked for the structure alone.
const CONVENTIONAL_VIRTUALENV_NAMES = new Set(['venv', '.venv', 'env', '.env', 'virtualenv']);

// What a virtualenv holds besides pyvenv.cfg (POSIX and Windows layouts).
const VIRTUALENV_FOLDERS = new Set(['bin', 'Scripts', 'lib', 'Lib', 'lib64', 'include', 'Include', 'share', 'etc']);

/**
 * True when `folder` (named `name`) has a virtualenv's structure: pyvenv.cfg, a conventional name or an
 * activate script, and a layout.
 */
function isVirtualenv(folder: string, name: string): boolean {
  return (
    (CONVENTIONAL_VIRTUALENV_NAMES.has(name) || existsSync(join(folder, 'pyvenv.cfg')) || hasActivateScript(folder)) &&
    virtualenvLayout(folder) !== undefined
  );
}

/**
 * `bin/activate` or `Scripts/activate.bat`: what every virtualenv writes, under any name, including those of
 * virtualenv releases before 20 that wrote no pyvenv.cfg (a committed `vv/` of 2018).
 */
function hasActivateScript(folder: string, entries?: readonly Dirent[]): boolean {
  if (entries && !entries.some((entry) => entry.name === 'bin' || entry.name === 'Scripts')) return false;
  return existsSync(join(folder, 'bin', 'activate')) || existsSync(join(folder, 'Scripts', 'activate.bat'));
}

/**
 * The folders of a virtualenv at `folder` when it has one's structure (an interpreter or site-packages);
 * undefined when not one.
 */
function virtualenvLayout(folder: string): Set<string> | undefined {
  const has = (...parts: string[]) => existsSync(join(folder, ...parts));
  if (has('bin', 'python') || has('Scripts', 'python.exe') || has('Lib', 'site-packages')) return VIRTUALENV_FOLDERS;
  try {
    // site-packages, or the orig-prefix.txt that virtualenv releases before 20 wrote beside it.
    const python = readdirSync(join(folder, 'lib')).filter((name) => name.startsWith('python'));
    if (python.some((name) => has('lib', name, 'site-packages') || has('lib', name, 'orig-prefix.txt')))
      return VIRTUALENV_FOLDERS;
  } catch {
    // No lib folder: not a POSIX virtualenv.
  }
  return undefined;
}

/**
 * A Python script named without `.py` (`bin/serve`, `manage`): a name with no extension whose first line is a
 * python shebang. Only such names are opened, and only their first bytes are read.
 */
function isPythonScript(path: string): boolean {
  const name = basename(path);
  if (name.includes('.') || name.length === 0) return false;
  let fd: number | undefined;
  try {
    // A FIFO or device under such a name would block the open: regular files only.
    if (!statSync(path).isFile()) return false;
    fd = openSync(path, 'r');
    const head = Buffer.alloc(128);
    const read = readSync(fd, head, 0, head.length, 0);
    return /^#![^\n]*\bpython[\d.]*\b/.test(head.subarray(0, read).toString('latin1'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
