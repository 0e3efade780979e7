import writeFileAtomic from 'write-file-atomic';
import { UsageError } from '../core/usage-error.js';

// What a user can do about a report path that cannot be written, by error code.
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/**
 * Writes a report file whole (temp file + rename), so a reader never sees half
 * of it. A path that cannot be written is the user's to fix: a one-line usage
 * error naming it, not an internal error with the temp file's name.
 */
export async function writeReportFile(path: string, contents: string | Buffer): Promise<void> {
  try {
    await writeFileAtomic(path, contents, typeof contents === 'string' ? { encoding: 'utf8' } : {});
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot write ${path}: ${REASONS[code] ?? (code || 'write failed')}`);
  }
}
