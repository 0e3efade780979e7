import { existsSync, lstatSync, readFileSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { encodeSource } from '../files/source-text.js';
import type { ExtraFile, FilePlan } from './plan.js';

export type WriteResult = { ok: true } | { ok: false; reason: string };

/**
 * Writes a planned file atomically (temp file + rename), in its own encoding,
 * BOM and line endings, with its permission bits, and only if it still holds
 * exactly the bytes the plan was made from.
 */
export async function writePlannedFile(plan: FilePlan): Promise<WriteResult> {
  if (!plan.source || !plan.bytes) return { ok: false, reason: 'not planned for writing' };
  let current: Buffer;
  let target: string;
  try {
    // Write through a symlink to the file it points at: renaming over the link would replace it.
    target = realpathSync(plan.file.path);
    current = readFileSync(target);
  } catch (error) {
    return { ok: false, reason: `cannot read it again: ${(error as Error).message}` };
  }
  if (!current.equals(plan.bytes)) return { ok: false, reason: 'it changed on disk while migrate ran; left untouched' };
  // A file the changes leave empty is deleted (a symlink keeps its target, emptied, rather than dangling).
  if (plan.deleted && !lstatSync(plan.file.path).isSymbolicLink()) {
    try {
      unlinkSync(plan.file.path);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }
  const encoded = encodeSource(plan.after, plan.source);
  if (!encoded) return { ok: false, reason: `cannot encode ${plan.source.encoding}` };
  try {
    const { mode } = statSync(target);
    await writeFileAtomic(target, encoded, { mode: mode & 0o7777 });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** Creates a new file (never over an existing one) or rewrites an appended-to file. */
export async function writeExtraFile(extra: ExtraFile): Promise<WriteResult> {
  try {
    if (extra.created) {
      if (existsSync(extra.path)) return { ok: false, reason: 'it appeared on disk while migrate ran; left alone' };
      await writeFileAtomic(extra.path, extra.after, { encoding: 'utf8', mode: 0o644 });
    } else {
      const { mode } = statSync(extra.path);
      if (readFileSync(extra.path, 'utf8') !== extra.before) return { ok: false, reason: 'it changed on disk while migrate ran' };
      await writeFileAtomic(extra.path, extra.after, { encoding: 'utf8', mode: mode & 0o7777 });
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
