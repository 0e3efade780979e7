import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ModuleFacts } from '../python/module-facts.js';
import { sysPathFolders } from '../python/sys-path-folders.js';

/**
 * Files that could be `module` as imported from `importer`, in the order Python 3 looks. A file not in a
 * package is a script: its own folder is sys.path[0]. In a package, an absolute import never means a sibling
 * module (that was Python 2): it resolves on sys.path, the folder above the outermost package (where the script
 * or `python -m` that imports it runs); the own folder stays a last guess for a package file run as a script.
 * Never from what was named on the command line: every service resolves `from app import app` to its app.py.
 */
export function modulePaths(
  root: string,
  module: string,
  level: number,
  importer: string,
  factsOf: (path: string) => ModuleFacts | undefined,
): string[] {
  const moduleParts = module ? module.split('.') : [];
  const asFiles = (base: string) => [`${join(base, ...moduleParts)}.py`, join(base, ...moduleParts, '__init__.py')];
  const ownFolder = dirname(importer);
  if (level > 0) {
    let base = ownFolder;
    for (let up = 1; up < level; up++) base = dirname(base);
    return asFiles(base).filter((path) => existsSync(path));
  }
  // Every folder from the importer's up to the top of its package chain (the project's root at most): a
  // script run from any of them puts it on sys.path, and a stray __init__.py must not hide the one it is.
  const chain = [ownFolder];
  for (let folder = ownFolder; existsSync(join(folder, '__init__.py')) && folder !== root; ) {
    if (dirname(folder) === folder) break;
    chain.push((folder = dirname(folder)));
  }
  const packageRoot = chain.at(-1) ?? ownFolder;
  // A src layout: `src/<package>` is what the project installs and imports.
  const bases = [packageRoot, join(packageRoot, 'src'), ...chain.slice(0, -1).reverse()];
  // A folder without __init__.py is a namespace package: `from src.app import config` resolves from the folder
  // that holds `src/` (where `python -m src.app.run` starts), up to the project's root.
  // And a src layout above it, which a script in bin/ or scripts/ imports once the project is installed.
  for (let up = packageRoot; up !== root && up.startsWith(root); ) {
    up = dirname(up);
    bases.push(up, join(up, 'src'));
  }
  const found = [...new Set(bases.flatMap(asFiles))].filter((path) => existsSync(path));
  // Else the folders the importer puts on sys.path itself (`sys.path.insert(0, os.path.join(here, "src"))`).
  const facts = found.length === 0 && importer.endsWith('.py') ? factsOf(importer) : undefined;
  const added = facts ? sysPathFolders(facts, importer).filter((folder) => folder.startsWith(root)) : [];
  return found.length > 0 ? found : added.flatMap(asFiles).filter((path) => existsSync(path));
}
