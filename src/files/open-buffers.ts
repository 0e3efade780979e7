/**
 * The text an editor holds for files it has open, standing in for their bytes on
 * disk while one run reads them (the language server). Every reader of project
 * files asks here first, so check, migrate's planning and the deploy model see
 * what the user sees, unsaved edits included, without a parameter through every
 * layer. Runs on this thread only: the server checks with one thread (no workers),
 * and runs one at a time.
 */
let openBuffers: ReadonlyMap<string, string> | undefined;

/** The open buffer's text for an absolute path, when a run with buffers is under way and the file is open. */
export function openBufferText(path: string): string | undefined {
  return openBuffers?.get(path);
}

/** Runs `run` with `buffers` (absolute path -> text) taking precedence over the files on disk. */
export async function withOpenBuffers<T>(buffers: ReadonlyMap<string, string>, run: () => Promise<T>): Promise<T> {
  if (openBuffers !== undefined) throw new Error('withOpenBuffers: runs with open buffers must not overlap');
  openBuffers = buffers;
  try {
    return await run();
  } finally {
    openBuffers = undefined;
  }
}
