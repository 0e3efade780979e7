import { lstatSync, readFileSync, realpathSync, unlinkSync } from 'node:fs';
import {
  createFile,
  refusalToRewrite,
  rewriteFile,
  type BeforeCommit,
  type WriteResult,
} from '../files/atomic-write.js';
import { encodeSource } from '../files/source-text.js';
import type { ExtraFile, FilePlan } from './plan-types.js';

export { removeStaleTemps, resolvesInside, type BeforeCommit, type WriteResult } from '../files/atomic-write.js';

/**
 * Writes a planned file atomically, in its own encoding, BOM and line endings,
 * with its permission bits, owner and group, and only if it still holds exactly
 * the bytes the plan was made from. Writes through a symlink to its target, but
 * never to a target outside the repository root; a read-only file only with `force`.
 */
export async function writePlannedFile(
  plan: FilePlan,
  root: string,
  beforeCommit?: BeforeCommit,
  force = false,
): Promise<WriteResult> {
  if (!plan.source || !plan.bytes) return { ok: false, reason: 'not planned for writing' };
  const refusal = refusalToRewrite(plan.file.path, root, force);
  if (refusal)
    return {
      ok: false,
      reason: refusal.replace(
        'it resolves outside the repository (a symlink)',
        'it now resolves outside the repository',
      ),
    };
  // A file the changes leave empty is deleted (a symlink keeps its target, emptied, rather than dangling).
  if (plan.deleted && !lstatSync(plan.file.path).isSymbolicLink()) {
    try {
      const target = realpathSync.native(plan.file.path);
      if (!readFileSync(target).equals(plan.bytes))
        return { ok: false, reason: 'it changed on disk while migrate ran; left untouched (run migrate again)' };
      unlinkSync(target);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }
  const encoded = encodeSource(plan.after, plan.source);
  if (!encoded) return { ok: false, reason: `cannot encode ${plan.source.encoding}` };
  return rewriteFile(plan.file.path, root, plan.bytes, encoded, { force, beforeCommit });
}

/** Creates a new file (never over an existing one) or rewrites an appended-to file. */
export async function writeExtraFile(extra: ExtraFile, root: string, force = false): Promise<WriteResult> {
  const contents = Buffer.from(extra.after, 'utf8');
  if (extra.created) return createFile(extra.path, root, contents);
  return rewriteFile(extra.path, root, Buffer.from(extra.before, 'utf8'), contents, { force });
}
