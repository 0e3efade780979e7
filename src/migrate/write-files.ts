import { closeSync, existsSync, fchmodSync, fsyncSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { encodeSource } from '../files/source-text.js';
import type { ExtraFile, FilePlan } from './plan-types.js';

export type WriteResult = { ok: true } | { ok: false; reason: string };

/** Called between writing the temp file and the last look at the target (tests interleave edits there). */
export type BeforeCommit = (tempPath: string) => void;

// Our temp files say whose they are and which process made them, so a later run removes
// exactly its own leftovers (never a user's `app.py.1` or another tool's temp file).
const TEMP_NAME = /^(.+)\.secure-flask-(\d+)-\d+\.tmp$/;
let tempCounter = 0;
const liveTemps = new Set<string>();
let signalsHooked = false;

/** On SIGINT/SIGTERM while writing, remove the temp files in flight, then exit as the signal asks. */
function removeTempsOnSignal(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(signal, () => {
      for (const temp of liveTemps) tryUnlink(temp);
      process.exit(code);
    });
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** True when `path` (after resolving every link) is inside `root` (also resolved). */
export function resolvesInside(path: string, root: string): boolean {
  try {
    const real = realpathSync.native(path);
    const realRoot = realpathSync.native(root);
    return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  } catch {
    return false;
  }
}

/**
 * Removes temp files a killed run of ours left in these folders (SIGKILL
 * cannot be caught), unless the process that made them is still running.
 * Returns the paths removed.
 */
export function removeStaleTemps(folders: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const folder of new Set(folders)) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = TEMP_NAME.exec(name);
      if (!match || isRunning(Number(match[2]))) continue;
      const path = join(folder, name);
      tryUnlink(path);
      if (!existsSync(path)) removed.push(path);
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Expected = { kind: 'bytes'; bytes: Buffer } | { kind: 'absent' };

/**
 * Writes `contents` to a temp file next to `target`, then, right before the
 * rename, reads the target once more: if another process changed it since
 * migrate read it, the temp file is removed and nothing is lost. A new file is
 * linked into place, which fails instead of replacing one that appeared.
 */
async function commitAtomically(target: string, contents: Buffer, mode: number, expected: Expected, beforeCommit?: BeforeCommit): Promise<WriteResult> {
  removeTempsOnSignal();
  const temp = join(dirname(target), `${basename(target)}.secure-flask-${process.pid}-${tempCounter++}.tmp`);
  liveTemps.add(temp);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, contents);
      fchmodSync(fd, mode); // the umask narrowed the mode openSync set
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    beforeCommit?.(temp);
    if (expected.kind === 'absent') {
      try {
        linkSync(temp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, reason: 'it appeared on disk while migrate ran; left alone' };
        throw error;
      }
      return { ok: true };
    }
    if (!readFileSync(target).equals(expected.bytes)) return { ok: false, reason: 'it changed on disk while migrate ran; left untouched (run migrate again)' };
    renameSync(temp, target);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    tryUnlink(temp);
    liveTemps.delete(temp);
  }
}

/**
 * Writes a planned file atomically, in its own encoding, BOM and line endings,
 * with its permission bits, and only if it still holds exactly the bytes the
 * plan was made from. Writes through a symlink to its target, but never to a
 * target outside the repository root.
 */
export async function writePlannedFile(plan: FilePlan, root: string, beforeCommit?: BeforeCommit): Promise<WriteResult> {
  if (!plan.source || !plan.bytes) return { ok: false, reason: 'not planned for writing' };
  if (!resolvesInside(plan.file.path, root)) return { ok: false, reason: 'it now resolves outside the repository; left untouched' };
  let target: string;
  let mode: number;
  try {
    // Renaming over a link would replace it: write to the file it points at.
    target = realpathSync.native(plan.file.path);
    mode = statSync(target).mode & 0o7777;
  } catch (error) {
    return { ok: false, reason: `cannot read it again: ${(error as Error).message}` };
  }
  // A file the changes leave empty is deleted (a symlink keeps its target, emptied, rather than dangling).
  if (plan.deleted && !lstatSync(plan.file.path).isSymbolicLink()) {
    try {
      if (!readFileSync(target).equals(plan.bytes)) return { ok: false, reason: 'it changed on disk while migrate ran; left untouched (run migrate again)' };
      unlinkSync(target);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }
  const encoded = encodeSource(plan.after, plan.source);
  if (!encoded) return { ok: false, reason: `cannot encode ${plan.source.encoding}` };
  return commitAtomically(target, encoded, mode, { kind: 'bytes', bytes: plan.bytes }, beforeCommit);
}

/** Creates a new file (never over an existing one) or rewrites an appended-to file. */
export async function writeExtraFile(extra: ExtraFile, root: string): Promise<WriteResult> {
  const contents = Buffer.from(extra.after, 'utf8');
  if (extra.created) {
    if (!resolvesInside(dirname(extra.path), root)) return { ok: false, reason: 'its folder resolves outside the repository; left alone' };
    return commitAtomically(extra.path, contents, 0o644, { kind: 'absent' });
  }
  if (!resolvesInside(extra.path, root)) return { ok: false, reason: 'it resolves outside the repository; left untouched' };
  try {
    const target = realpathSync.native(extra.path);
    const mode = statSync(target).mode & 0o7777;
    return await commitAtomically(target, contents, mode, { kind: 'bytes', bytes: Buffer.from(extra.before, 'utf8') });
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
