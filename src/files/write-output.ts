import { execFileSync } from 'node:child_process';
import { realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
  EBADF: 'not an open file descriptor',
  ENXIO: 'nothing is reading that pipe or device',
};

export interface ReportTarget {
  /** Replace a file git tracks (the user said --force); undefined where the command has no --force. */
  force?: boolean;
  /** Files this run reads or rewrites: never the place for its report, --force or not. */
  inputs?: Iterable<string>;
  cwd?: string;
}

// Paths that name one of our open descriptors: written to it as it is, like a shell redirect.
const DESCRIPTOR_PATH = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/;
const STANDARD_STREAMS: Record<string, number> = { '/dev/stdout': 1, '/dev/stderr': 2 };

function fail(path: string, reason: string): never {
  throw new UsageError(`cannot write ${path}: ${reason}`);
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? (code || 'write failed');
}

function gitTracks(file: string): boolean {
  try {
    execFileSync('git', ['ls-files', '--error-unmatch', '--', file], {
      cwd: dirname(file),
      stdio: 'ignore',
      timeout: 30_000,
    });
    return true;
  } catch {
    return false; // untracked, not a repository, or no git
  }
}

/**
 * Writes a report or patch where the user asked, without destroying anything:
 * `-` is standard output (as for Ruff and git); a descriptor path, character
 * device or FIFO is written in place (`/dev/null` stays a device); a regular file
 * is replaced whole (temp file + rename), so a reader never sees half of it, but
 * never a file this run checks or migrates, and a file git tracks only with --force.
 * Every refusal is a one-line usage error naming the path.
 */
export async function writeReportFile(
  path: string,
  contents: string | Buffer,
  target: ReportTarget = {},
): Promise<void> {
  const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
  if (path === '-') return writeToDescriptor(path, 1, bytes);
  const descriptor = STANDARD_STREAMS[path] ?? DESCRIPTOR_PATH.exec(path)?.[1];
  if (descriptor !== undefined) return writeToDescriptor(path, Number(descriptor), bytes);
  const absolute = resolve(target.cwd ?? process.cwd(), path);
  let stats: ReturnType<typeof statSync> | undefined;
  try {
    stats = statSync(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') fail(path, reasonOf(error));
  }
  if (stats?.isDirectory()) fail(path, 'it is a folder');
  if (stats?.isBlockDevice()) fail(path, 'it is a block device (a disk); not written');
  if (stats?.isSocket()) fail(path, 'it is a socket');
  if (stats && (stats.isCharacterDevice() || stats.isFIFO())) {
    try {
      writeFileSync(absolute, bytes);
      return;
    } catch (error) {
      fail(path, reasonOf(error));
    }
  }
  if (stats) {
    const real = realpathSync.native(absolute);
    const inputs = new Set([...(target.inputs ?? [])].map((input) => safeRealpath(input)));
    if (inputs.has(real)) fail(path, 'this run reads that file; choose another path for the output');
    if (!target.force && gitTracks(real))
      fail(
        path,
        'git tracks that file; choose another path' +
          (target.force === undefined ? '' : ', or pass --force to replace it'),
      );
  }
  try {
    await writeFileAtomic(absolute, bytes);
  } catch (error) {
    fail(path, reasonOf(error));
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

function writeToDescriptor(path: string, fd: number, bytes: Buffer): Promise<void> {
  if (fd === 1 || fd === 2) {
    const stream = fd === 1 ? process.stdout : process.stderr;
    return new Promise((done, failed) =>
      stream.write(bytes, (error) =>
        error ? failed(new UsageError(`cannot write ${path}: ${reasonOf(error)}`)) : done(),
      ),
    );
  }
  try {
    writeFileSync(fd, bytes);
  } catch (error) {
    fail(path, reasonOf(error));
  }
  return Promise.resolve();
}
