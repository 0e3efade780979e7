import {
  closeSync,
  existsSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';

/**
 * Writes into a repository the way git and careful editors do: a temp file
 * beside the target, renamed over it only if the target still holds the bytes
 * the caller read; never through a link that leaves the repository; with the
 * target's mode, owner and group; never over a read-only file unless forced.
 * migrate and init-ci both write through here.
 */

/** `note` says what the write could not keep (a hard link), for the summary. */
export type WriteResult = { ok: true; note?: string } | { ok: false; reason: string };

/** Called between writing the temp file and the last look at the target (tests interleave edits there). */
export type BeforeCommit = (tempPath: string) => void;

export interface RewriteOptions {
  /** Rewrite a read-only file too (the user said --force). */
  force?: boolean;
  beforeCommit?: BeforeCommit;
  /** Who refuses, for messages: "migrate", "init-ci". */
  tool?: string;
}

// Our temp files say whose they are and which process made them, so a later run removes
// exactly its own leftovers (never a user's `app.py.1` or another tool's temp file).
const TEMP_NAME = /^(.+)\.secure-flask-(\d+)-\d+\.tmp$/;
let tempCounter = 0;
const liveTemps = new Set<string>();
const interruptListeners = new Set<() => void>();
let signalsHooked = false;

/**
 * On SIGINT/SIGTERM while writing, remove the temp files in
 * flight, say what was done, then exit as the signal asks.
 */
function removeTempsOnSignal(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      for (const temp of liveTemps) tryUnlink(temp);
      for (const listener of interruptListeners) listener();
      process.exit(code);
    });
  }
}

/**
 * Runs `listener` if a signal stops the writes (after the temp files are gone, before the
 * exit), so a summary counts what was really written. Returns the function that unregisters it.
 */
export function onInterruptedWrites(listener: () => void): () => void {
  removeTempsOnSignal();
  interruptListeners.add(listener);
  return () => interruptListeners.delete(listener);
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

/** The nearest folder of `path` that exists (where a new file's folders would be made). */
export function nearestExistingFolder(path: string): string {
  let current = dirname(path);
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
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
interface Ownership {
  mode: number;
  uid?: number;
  gid?: number;
}

/**
 * Writes `contents` to a temp file next to `target` with the target's mode and
 * owner, then, right before the rename, reads the target once more: if another
 * process changed it since it was read, the temp file is removed and nothing is
 * lost. A new file is linked into place, which fails instead of replacing one
 * that appeared.
 */
async function commitAtomically(
  target: string,
  contents: Buffer,
  owner: Ownership,
  expected: Expected,
  beforeCommit?: BeforeCommit,
): Promise<WriteResult> {
  removeTempsOnSignal();
  const temp = join(dirname(target), `${basename(target)}.secure-flask-${process.pid}-${tempCounter++}.tmp`);
  liveTemps.add(temp);
  try {
    const fd = openSync(temp, 'wx', owner.mode);
    try {
      writeSync(fd, contents);
      // A rename makes the file ours (root's, as CI runs): give it back to its owner first.
      if (owner.uid !== undefined && owner.gid !== undefined) {
        try {
          fchownSync(fd, owner.uid, owner.gid);
        } catch (error) {
          return {
            ok: false,
            reason:
              `cannot keep its owner (uid ${owner.uid}, gid ${owner.gid}: ` +
              `${(error as NodeJS.ErrnoException).code ?? 'refused'}); left untouched`,
          };
        }
      }
      fchmodSync(fd, owner.mode); // the umask narrowed the mode openSync set, and chown clears setuid bits
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    beforeCommit?.(temp);
    if (expected.kind === 'absent') {
      try {
        linkSync(temp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          return { ok: false, reason: 'it appeared on disk while we ran; left alone' };
        throw error;
      }
      return { ok: true };
    }
    if (!readFileSync(target).equals(expected.bytes))
      return { ok: false, reason: 'it changed on disk while migrate ran; left untouched (run migrate again)' };
    renameSync(temp, target);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    tryUnlink(temp);
    liveTemps.delete(temp);
  }
}

/** Owner and group to give the new file: only where they differ from what a new file of ours gets. */
function ownershipOf(stats: { mode: number; uid: number; gid: number }): Ownership {
  const sameOwner = stats.uid === process.geteuid?.() && stats.gid === process.getegid?.();
  return sameOwner || process.geteuid === undefined
    ? { mode: stats.mode & 0o7777 }
    : { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
}

/** Why a write is refused before it starts (outside the repository, read-only), if it is. */
export function refusalToRewrite(path: string, root: string, force: boolean): string | undefined {
  if (!resolvesInside(path, root)) return 'it resolves outside the repository (a symlink); left untouched';
  try {
    const mode = statSync(path).mode & 0o777;
    // Root may write anything: the mode bits, not access(2), say what the owner meant.
    if ((mode & 0o222) === 0 && !force)
      return `it is read-only (mode ${mode.toString(8).padStart(4, '0')}); left untouched (pass --force to rewrite it)`;
  } catch (error) {
    return `cannot read it again: ${(error as Error).message}`;
  }
  return undefined;
}

/**
 * Replaces the file at `path` (through a link to its target, when that stays
 * inside `root`) with `contents`, only if it still holds `expected`; keeps its
 * mode, owner and group; refuses a read-only file unless `force`. A file with
 * other hard links is replaced as well, and the note says those names keep the old text.
 */
export async function rewriteFile(
  path: string,
  root: string,
  expected: Buffer,
  contents: Buffer,
  options: RewriteOptions = {},
): Promise<WriteResult> {
  const refusal = refusalToRewrite(path, root, options.force === true);
  if (refusal) return { ok: false, reason: refusal };
  let target: string;
  let stats: ReturnType<typeof statSync>;
  try {
    // Renaming over a link would replace it: write to the file it points at.
    target = realpathSync.native(path);
    stats = statSync(target);
  } catch (error) {
    return { ok: false, reason: `cannot read it again: ${(error as Error).message}` };
  }
  const result = await commitAtomically(
    target,
    contents,
    ownershipOf(stats),
    { kind: 'bytes', bytes: expected },
    options.beforeCommit,
  );
  if (result.ok && stats.nlink > 1) {
    const others = stats.nlink - 1;
    return {
      ok: true,
      note:
        `it had ${others} other hard link${others === 1 ? '' : 's'}; ` +
        `${others === 1 ? 'that name keeps' : 'those names keep'} the old text`,
    };
  }
  return result;
}

/** Creates a new file (never over an existing one) in a folder that resolves inside `root`. */
export async function createFile(path: string, root: string, contents: Buffer, mode = 0o644): Promise<WriteResult> {
  if (!resolvesInside(nearestExistingFolder(path), root))
    return { ok: false, reason: 'its folder resolves outside the repository; left alone' };
  return commitAtomically(path, contents, { mode }, { kind: 'absent' });
}
