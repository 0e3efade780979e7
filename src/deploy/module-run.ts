import { dirname, join, relative, sep } from 'node:path';
import type { DeployCommand } from './model.js';

/**
 * `python -m pkg` runs pkg/__main__.py as __main__ (after importing pkg/__init__.py), and `python -m mod` runs
 * mod.py: when the repository holds that file beside the command (or in a folder above it), the command is
 * followed as `python <file>` would be, so its app.run() is found. The classification is completed in place:
 * every part of the model that holds the command sees the same target.
 */
export function resolveModuleRun(command: DeployCommand, root: string, read: (path: string) => string | undefined) {
  const { target } = command;
  if (target.kind !== 'other' || !target.module || !/^[A-Za-z_][\w.]*$/.test(target.module)) return;
  const parts = target.module.split('.');
  const from = dirname(command.at.path);
  // The command's folder, then each one above it up to the root: a script in scripts/ often `cd ..` first.
  const folders = [from];
  for (let folder = from; folder !== root && dirname(folder) !== folder; ) {
    folder = dirname(folder);
    if (relative(root, folder).startsWith('..')) break;
    folders.push(folder);
  }
  if (!folders.includes(root)) folders.push(root);
  for (const folder of folders) {
    for (const candidate of [join(folder, ...parts, '__main__.py'), `${join(folder, ...parts)}.py`]) {
      if (read(candidate) === undefined) continue;
      const script = relative(from, candidate).split(sep).join('/');
      command.target = { kind: 'python-script', script, module: target.module };
      return;
    }
  }
}
