import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RenderedFile } from './render.js';

/**
 * Writes the rendered project so that a failure leaves nothing behind: every
 * file goes into a hidden staging folder beside the target first, and only a
 * complete project is moved into place. Files already in a `--force` target
 * are never overwritten silently: a clash is an error before anything moves.
 */
export function writeProject(targetDir: string, files: RenderedFile[]): void {
  const parent = dirname(targetDir);
  mkdirSync(parent, { recursive: true });
  // Not mkdtemp: its 0700 folder would become the project's own mode after the rename.
  const staging = join(parent, `.${basename(targetDir)}.creating-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging);
  const removeStaging = () => rmSync(staging, { recursive: true, force: true });
  process.once('SIGINT', removeStaging);
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.contents, { flag: 'wx' });
    }
    if (!existsSync(targetDir)) {
      renameSync(staging, targetDir);
      return;
    }
    moveEntries(staging, targetDir);
  } finally {
    removeStaging();
    process.removeListener('SIGINT', removeStaging);
  }
}

/** Moves the staged top-level entries into an existing folder, undoing the moves if one fails. */
function moveEntries(staging: string, targetDir: string): void {
  const entries = readdirSync(staging);
  const clashes = entries.filter((entry) => existsSync(join(targetDir, entry)));
  if (clashes.length > 0) throw new Error(`${targetDir} already has ${clashes.join(', ')}; move them away or choose another folder`);
  const moved: string[] = [];
  try {
    for (const entry of entries) {
      renameSync(join(staging, entry), join(targetDir, entry));
      moved.push(entry);
    }
  } catch (error) {
    for (const entry of moved) rmSync(join(targetDir, entry), { recursive: true, force: true });
    throw error;
  }
}
