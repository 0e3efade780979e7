import { readFileSync, statSync } from 'node:fs';
import { openBufferText } from '../files/open-buffers.js';

/**
 * The few files a resolver reads besides the deploy file (the app module, the
 * requirements file, .flaskenv), behind an interface so the resolvers stay pure
 * and tests can hand them an in-memory project.
 */
export interface ProjectFiles {
  /** The text of a file (absolute path), or undefined when it is missing or not a readable file. */
  read(path: string): string | undefined;
  isDirectory(path: string): boolean;
}

/** A resolver's answer: a value it is certain of, or why it is not. */
export type Resolved<T> = { ok: true; value: T } | { ok: false; reason: string };

export const resolved = <T>(value: T): Resolved<T> => ({ ok: true, value });
export const unresolved = <T>(reason: string): Resolved<T> => ({ ok: false, reason });

// Resolvers read at most a handful of small files; a huge one is not a requirements file or an app module.
const MAX_READ_BYTES = 1024 * 1024;

export const diskFiles: ProjectFiles = {
  read(path) {
    const buffer = openBufferText(path);
    if (buffer !== undefined) return buffer.length > MAX_READ_BYTES ? undefined : buffer.replace(/^\uFEFF/, '');
    try {
      const stats = statSync(path);
      if (!stats.isFile() || stats.size > MAX_READ_BYTES) return undefined;
      return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    } catch {
      return undefined;
    }
  },
  isDirectory(path) {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
};

/** An in-memory project (absolute path -> text), for tests and for previews of planned files. */
export function memoryFiles(files: Record<string, string>): ProjectFiles {
  return {
    read: (path) => files[path],
    isDirectory: (path) => Object.keys(files).some((file) => file.startsWith(`${path.replace(/\/$/, '')}/`)),
  };
}
