/**
 * Contents that stand in for files on disk while one run reads them: the text an editor holds for
 * the files it has open (the language server), or standard input named by `check --stdin-filename`.
 * Every reader of project files asks here first, so check, migrate's planning and the deploy model
 * see what the user sees, unsaved edits included, without a parameter through every layer. Runs on
 * this thread only: such runs check with one thread (no workers), one at a time.
 */
let openBuffers: ReadonlyMap<string, string | Buffer> | undefined;

/** The open buffer's text for an absolute path, when a run with buffers is under way and the file is open. */
export function openBufferText(path: string): string | undefined {
  const buffer = openBuffers?.get(path);
  return typeof buffer === 'string' || buffer === undefined ? buffer : buffer.toString('utf8');
}

/** The open buffer's bytes (text as UTF-8), for readers that decode files themselves. */
export function openBufferBytes(path: string): Buffer | undefined {
  const buffer = openBuffers?.get(path);
  return typeof buffer === 'string' ? Buffer.from(buffer, 'utf8') : buffer;
}

/** Runs `run` with `buffers` (absolute path -> text or bytes) taking precedence over the files on disk. */
export async function withOpenBuffers<T>(
  buffers: ReadonlyMap<string, string | Buffer>,
  run: () => Promise<T>,
): Promise<T> {
  if (openBuffers !== undefined) throw new Error('withOpenBuffers: runs with open buffers must not overlap');
  openBuffers = buffers;
  try {
    return await run();
  } finally {
    openBuffers = undefined;
  }
}
