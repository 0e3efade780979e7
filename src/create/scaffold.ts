import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/usage-error.js';
import type { RenderedFile } from './render.js';

export interface WriteResult {
  /** Paths written, relative to the target. */
  written: string[];
  /** Generated paths not written because the user's file is already there. */
  kept: string[];
}

/** What is at `path` without following a link: a link to a folder is not a folder we write into. */
function kindAt(path: string): 'missing' | 'folder' | 'other' {
  try {
    return lstatSync(path).isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * The generated paths that something in `targetDir` already occupies: the file
 * itself, or a file (or link) where the path needs a folder. Writing them would
 * overwrite the user's work, so they are kept and the generated ones skipped.
 */
export function clashingPaths(targetDir: string, files: RenderedFile[]): string[] {
  if (kindAt(targetDir) !== 'folder') return [];
  return files
    .map((file) => file.path)
    .filter((path) => {
      const segments = path.split('/');
      for (let depth = 1; depth < segments.length; depth += 1) {
        const kind = kindAt(join(targetDir, ...segments.slice(0, depth)));
        if (kind === 'other') return true;
        if (kind === 'missing') return false;
      }
      return kindAt(join(targetDir, path)) !== 'missing';
    });
}

/**
 * Writes the rendered project so that a failure leaves nothing behind: every
 * file goes into a hidden staging folder first, and only a complete project is
 * moved into place. In an existing folder each file is moved on its own, the
 * `keep` paths are skipped, and nothing there is ever overwritten.
 */
export function writeProject(
  targetDir: string,
  files: RenderedFile[],
  keep: ReadonlySet<string> = new Set(),
): WriteResult {
  const toWrite = files.filter((file) => !keep.has(file.path));
  const exists = existsSync(targetDir);
  const parent = exists ? targetDir : dirname(targetDir);
  mkdirSync(parent, { recursive: true });
  // A short fixed-length name, whatever the project's: a long folder name must not become too long here.
  // Not mkdtemp: its 0700 folder would become the project's own mode after the rename.
  const staging = join(parent, `.create-secure-flask-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging);
  try {
    for (const file of toWrite) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.contents, { flag: 'wx' });
    }
    if (!exists) renameSync(staging, targetDir);
    else
      moveFiles(
        staging,
        targetDir,
        toWrite.map((file) => file.path),
      );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return {
    written: toWrite.map((file) => file.path),
    kept: files.filter((file) => keep.has(file.path)).map((file) => file.path),
  };
}

/** Moves staged files into an existing folder one by one, undoing every move and new folder if one fails. */
function moveFiles(staging: string, targetDir: string, paths: string[]): void {
  const moved: string[] = [];
  const createdFolders: string[] = [];
  try {
    for (const path of paths) {
      const destination = join(targetDir, path);
      const folder = dirname(destination);
      if (!existsSync(folder)) {
        const first = mkdirSync(folder, { recursive: true });
        if (first) createdFolders.push(first);
      }
      // Checked again right before the move: a file that appeared meanwhile is never replaced.
      if (kindAt(destination) !== 'missing')
        throw new UsageError(
          `${path} appeared in ${targetDir} while the project was being written; nothing was written`,
        );
      renameSync(join(staging, path), destination);
      moved.push(destination);
    }
  } catch (error) {
    for (const destination of moved) rmSync(destination, { force: true });
    for (const folder of createdFolders.reverse()) removeEmptyFolders(folder);
    throw error;
  }
}

function removeEmptyFolders(folder: string): void {
  if (kindAt(folder) !== 'folder') return;
  for (const entry of readdirSync(folder)) removeEmptyFolders(join(folder, entry));
  if (readdirSync(folder).length === 0) rmdirSync(folder);
}
